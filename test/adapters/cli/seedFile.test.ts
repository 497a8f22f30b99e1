import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { SessionSeeder } from '../../../src/adapters/cli/cliDependencies.js';
import { runCli } from '../../../src/adapters/cli/program.js';
import { StartSession } from '../../../src/application/startSession.js';
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
    close: () => Promise.resolve(),
  });

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
});
