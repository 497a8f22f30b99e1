import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { SessionSeeder } from '../../../src/adapters/cli/cliDependencies.js';
import { runCli } from '../../../src/adapters/cli/program.js';
import { StoreUnavailable } from '../../../src/application/errors.js';
import type { NewGuestSession } from '../../../src/application/ports/sessionRepository.js';
import { StartSession } from '../../../src/application/startSession.js';
import type { Session } from '../../../src/domain/session.js';
import { testCliDependencies } from '../../support/cliDependencies.js';
import { FixedClock, InMemorySessionRepository, RecordingTokenIssuer, SequentialIds } from '../../support/fakes.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

/** The seeder as the composition root opens it, over an in-memory store. */
const seederOver = (repository: InMemorySessionRepository): (() => Promise<SessionSeeder>) => () =>
  Promise.resolve({
    startSession: new StartSession({
      sessions: repository,
      tokens: new RecordingTokenIssuer(repository),
      clock: new FixedClock(new Date('2026-01-01T00:00:00Z')),
      ids: new SequentialIds(),
      sessionLifetimeSeconds: 3600,
    }),
    database: 'DATABASE_URL postgres://postgres:***@db.internal/livechat',
    close: () => Promise.resolve(),
  });

/** Calls `then` as the `saves`th session is being saved, before storing it. */
class RepositoryCalling extends InMemorySessionRepository {
  private saved = 0;

  constructor(
    private readonly saves: number,
    private readonly then: () => void,
  ) {
    super();
  }

  override saveGuestSession(session: NewGuestSession): Promise<Session> {
    this.saved += 1;
    if (this.saved === this.saves) this.then();
    return super.saveGuestSession(session);
  }
}

/** Budi on line 2, Ani on 3, Sari over lines 4 and 5 (a newline in her notes), Joko on 6, Dewi on 7. */
const FIVE_LISTENERS =
  'name,city,country,notes\nBudi,Solo,Indonesia,\nAni,Solo,Indonesia,\nSari,Solo,Indonesia,"two\nlines"\nJoko,Solo,Indonesia,\nDewi,Solo,Indonesia,\n';

describe('livechat seed --file (in this process, over an in-memory store)', () => {
  const workDir = directoryPerTest('livechat-seed-file-');

  it('on a terminal, shows counts alone for a named pipe, which has no size: no bar, share or time left', async () => {
    const fifo = path.join(workDir(), 'listeners');
    execFileSync('mkfifo', [fifo]);
    const repository = new InMemorySessionRepository();
    const { deps, stderr } = testCliDependencies({ openSeeder: seederOver(repository) }, { onTerminal: true });

    const [code] = await Promise.all([
      runCli(['node', 'livechat', 'seed', '--file', fifo, '--format', 'csv'], deps),
      writeFile(fifo, 'name,city,country\nBudi,Solo,Indonesia\nAni,Solo,Indonesia\n'),
    ]);

    expect(code, stderr()).to.equal(0);
    expect(repository.sessions).to.have.length(2);
    expect(stderr()).to.include('seeding | 2 created | 0 failed |');
    expect(stderr()).not.to.match(/%|left/);
  });

  it('when the database becomes unavailable, says so in words, naming the database and what the driver said, and where to resume', async () => {
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, FIVE_LISTENERS);
    // As knex reports it: the statement first, then the driver's words.
    const lost = new Error('\nwith guest as (\n  insert into guests (id) values ($1::uuid)\n) select $2 from guest - Connection terminated unexpectedly');
    const repository = new RepositoryCalling(3, () => {
      repository.failWith = new StoreUnavailable({ cause: lost });
    });
    const { deps, stdout, stderr } = testCliDependencies({ openSeeder: seederOver(repository) });

    const code = await runCli(['node', 'livechat', 'seed', '--file', file, '--concurrency', '1', '--lang', 'en'], deps);

    expect(code).to.equal(1);
    expect(stdout().trim().split('\n')).to.have.length(2);
    expect(stderr().split('\n').slice(-4)).to.deep.equal([
      'line 4: {"errors":{"row":["The service is temporarily unavailable. Please try again shortly."]}}',
      'livechat seed: stopped early: the database became unavailable (DATABASE_URL postgres://postgres:***@db.internal/livechat: Connection terminated unexpectedly)',
      'seeded ' + file + ': 2 created, 1 failed (stopped early: the rest of the file was not read, from line 6 on)',
      '',
    ]);
  });

  it('when interrupted, names the first line it did not read, after a record over several lines too', async () => {
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, FIVE_LISTENERS);
    let stop: (signal: NodeJS.Signals) => void = () => undefined;
    const repository = new RepositoryCalling(3, () => stop('SIGTERM'));
    const { deps, stderr } = testCliDependencies({
      openSeeder: seederOver(repository),
      onStopSignals: (first) => {
        stop = first;
        return () => undefined;
      },
    });

    const code = await runCli(['node', 'livechat', 'seed', '--file', file, '--concurrency', '1'], deps);

    expect(code).to.equal(143);
    expect(repository.sessions.map((session) => session.profile.name)).to.deep.equal(['Budi', 'Ani', 'Sari']);
    expect(stderr()).to.equal(`seeded ${file}: 3 created, 0 failed (interrupted: the rest of the file was not read, from line 6 on)\n`);
  });
});
