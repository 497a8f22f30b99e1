import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import knex, { type Knex } from 'knex';
import { cliTestEnv, spawnCliOnTerminal } from '../support/cliProcess.js';
import { insertWaitsForLock, lockSessions } from '../support/sessionLock.js';
import { testDatabaseUrl } from '../support/testServices.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const CTRL_C = '\x03';

/** Whether the terminal is left with its cursor shown: the last cursor command it got was "show". */
const cursorShownAtEnd = (output: string): boolean => output.lastIndexOf(SHOW_CURSOR) > output.lastIndexOf(HIDE_CURSOR);

describe('livechat seed --file on a terminal (progress bar)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-cli-');
  let database: Knex;
  let env: Record<string, string>;

  before(() => {
    database = knex({ client: 'pg', connection: testDatabaseUrl() });
  });

  after(async () => {
    await database.destroy();
  });

  beforeEach(() => {
    env = cliTestEnv(path.join(workDir(), 'data'));
  });

  it('prints every refused row with its line number, even those refused after the last redraw, and shows the cursor again', async () => {
    const file = path.join(workDir(), 'one.csv');
    writeFileSync(file, 'name,city,country\n,Solo,Indonesia\n');

    const cli = spawnCliOnTerminal(['seed', '--file', file], { env, cwd: workDir() });
    cli.child.stdin?.end();
    const code = await cli.exited;

    expect(code, cli.output()).to.equal(1);
    expect(cli.output()).to.include('line 2: {"errors":{"name":["Nama wajib diisi."]}}');
    expect(cli.output()).to.include('seeded');
    expect(cursorShownAtEnd(cli.output()), 'the cursor is shown at the end').to.equal(true);
  });

  it('shows the part of the file whose rows are done, not how far the file has been read ahead of them', async () => {
    // Rows of one length, the refused one (line 2) included: the rows done say exactly how many bytes are done.
    const header = 'name,city,country\n';
    const rows = [`Pendengar <01>,Solo,Indonesia\n`];
    for (let row = 1; row <= 1_000; row += 1) rows.push(`Pendengar ${String(row).padStart(4, '0')},Solo,Indonesia\n`);
    // A blank line at the end, which no row holds: the bar still ends at 100 %.
    const text = `${header}${rows.join('')}\n`;
    const file = path.join(workDir(), 'many.csv');
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    const rowBytes = Buffer.byteLength(rows[0]!);

    const cli = spawnCliOnTerminal(['seed', '--file', file, '--concurrency', '2'], { env, cwd: workDir() });
    cli.child.stdin?.end();
    const code = await cli.exited;

    expect(code, cli.output()).to.equal(1);
    expect(cli.output()).to.include('1000 created, 1 failed');
    const bars = [...cli.output().matchAll(/ (\d+)% \| (\d+) created \| (\d+) failed/g)].map(([, percentage, created, failed]) => ({
      percentage: Number(percentage),
      done: Number(created) + Number(failed),
    }));
    expect(bars.filter((bar) => bar.done > 0 && bar.done < rows.length), 'bars drawn while rows were being seeded').to.not.be.empty;
    for (const { percentage, done } of bars.slice(0, -1)) {
      // The header is done with the first row.
      const bytesDone = done === 0 ? 0 : Buffer.byteLength(header) + done * rowBytes;
      expect(percentage, `${done} rows done`).to.equal(Math.floor((bytesDone / size) * 100));
    }
    expect(bars.at(-1)).to.deep.equal({ percentage: 100, done: rows.length });
  });

  it('on a second Ctrl-C, while sessions in flight still wait for the database, ends at once with the cursor shown again', async () => {
    const file = path.join(workDir(), 'many.csv');
    const lines = ['name,city,country'];
    for (let row = 0; row < 1_000; row += 1) lines.push(`Pendengar ${row},Solo,Indonesia`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    // Sessions cannot be stored while the lock is held: the first Ctrl-C then leaves the run waiting for them.
    const lock = await lockSessions(database);
    const cli = spawnCliOnTerminal(['seed', '--file', file, '--concurrency', '2'], { env, cwd: workDir() });
    try {
      while (!(await insertWaitsForLock(database))) {
        if (cli.child.exitCode !== null) throw new Error(`the CLI ended early:\n${cli.output()}`);
        await setTimeout(20);
      }
      // The first Ctrl-C only winds the run down: the sessions in flight still wait for the lock.
      cli.type(CTRL_C);
      await setTimeout(500);
      expect(cli.child.exitCode, 'still running after the first Ctrl-C').to.equal(null);
      expect(cli.child.signalCode, 'still running after the first Ctrl-C').to.equal(null);
      // A signal sent before the last one was taken merges with it: Ctrl-C again until the process ends.
      while (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.type(CTRL_C);
        await setTimeout(100);
      }
      const code = await cli.exited;

      expect(code, 'ended by SIGINT (128 + 2)').to.equal(130);
      expect(cli.output(), 'no summary: the run was not let finish').to.not.include('seeded');
      expect(cursorShownAtEnd(cli.output()), 'the cursor is shown at the end').to.equal(true);
    } finally {
      cli.child.kill('SIGKILL');
      await lock.release();
    }
  });
});
