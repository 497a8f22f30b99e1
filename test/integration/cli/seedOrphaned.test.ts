import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import knex, { type Knex } from 'knex';
import { CLI_BIN, cliTestEnv } from '../support/cliProcess.js';
import { childEnv, watchProcess, type NodeProcess } from '../support/nodeProcess.js';
import { testDatabaseUrl } from '../support/testServices.js';
import { PROJECT_ROOT } from '../../support/projectRoot.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

/** Runs a command under a shell it then kills, and waits for the orphan: see the file. */
const ORPHANING = path.join(PROJECT_ROOT, 'test', 'integration', 'support', 'orphaning.py');
const SHELL_KILLED = 'orphaning.py: the shell is killed\n';
const ROWS = 100_000;

const until = async (done: () => boolean, cli: NodeProcess): Promise<void> => {
  while (!done()) {
    if (cli.child.exitCode !== null) throw new Error(`ended early:\n${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('livechat seed --file when the process that started it goes away (npx killed by SIGTERM)', function () {
  this.timeout(60_000);
  let database: Knex;
  const workDir = directoryPerTest('livechat-orphaned-');
  let city: string;
  let csv: string;

  before(() => {
    database = knex({ client: 'pg', connection: testDatabaseUrl() });
  });

  after(async () => {
    await database.destroy();
  });

  beforeEach(() => {
    city = `Kota ${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;
    csv = `name,city,country\n${Array.from({ length: ROWS }, (_, row) => `Pendengar ${row},${city},Indonesia\n`).join('')}`;
  });

  /** `livechat seed` under a shell that orphaning.py kills when told; given 10 s after that to end, or killed (124). */
  const orphanedSeed = (args: readonly string[]): NodeProcess & { killShell: () => void } => {
    const child = spawn('python3', [ORPHANING, '10', process.execPath, CLI_BIN, 'seed', ...args], {
      cwd: workDir(),
      env: childEnv(cliTestEnv(path.join(workDir(), 'data'))),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { ...watchProcess(child), killShell: () => child.stdin.end('kill the shell\n') };
  };

  /** As for SIGHUP: the sessions in flight finished and printed, the summary, exit 129, every printed session stored. */
  const expectStoppedAsForSighup = async (cli: NodeProcess): Promise<void> => {
    expect(await cli.exited, cli.stderr()).to.equal(129);
    expect(cli.stdout().endsWith('\n') || cli.stdout() === '', 'the last line is whole').to.equal(true);
    const printed = cli
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { sessionId: string });
    expect(printed.length).to.be.below(ROWS);
    expect(cli.stderr()).to.match(new RegExp(`${printed.length} created, 0 failed \\(interrupted`));
    const stored = await database('sessions').where({ city }).pluck<string[]>('id');
    expect(new Set(stored), 'exactly the printed sessions are stored').to.deep.equal(new Set(printed.map((session) => session.sessionId)));
  };

  it('stops as for SIGHUP when its parent is killed mid-run', async () => {
    const file = path.join(workDir(), 'many.csv');
    writeFileSync(file, csv);
    const cli = orphanedSeed(['--file', file]);
    await until(() => cli.stdout().split('\n').length >= 200, cli);
    cli.killShell();

    await expectStoppedAsForSighup(cli);
  });

  it('stops as for SIGHUP when its parent was killed while it was still starting (npx killed in its first seconds)', async () => {
    const fifo = path.join(workDir(), 'listeners');
    execFileSync('mkfifo', [fifo]);
    const cli = orphanedSeed(['--file', fifo, '--format', 'csv']);
    // Opened once the CLI opens it to read: loaded, and waiting for its first row.
    const listeners = createWriteStream(fifo);
    // Written to a seed that stops early, the rest of the rows have no reader.
    listeners.on('error', () => undefined);
    await once(listeners, 'open');
    cli.killShell();
    await until(() => cli.stderr().includes(SHELL_KILLED), cli);
    listeners.end(csv);

    await expectStoppedAsForSighup(cli);
  });
});
