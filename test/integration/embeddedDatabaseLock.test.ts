import { existsSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { EMBEDDED_DATABASE_LOCK, lockEmbeddedDatabase, lockPathOf } from '../../src/infrastructure/embeddedDatabaseLock.js';
import { captureLogs } from '../support/logCapture.js';
import { freePort } from '../support/freePort.js';
import { PROJECT_ROOT } from '../support/projectRoot.js';
import { directoryPerTest } from '../support/tempDirectory.js';
import { runCli, runKnexCli } from './support/cliProcess.js';
import { exitedWithin, spawnNode, type NodeProcess } from './support/nodeProcess.js';
import { spawnService, waitForLog } from './support/serviceProcess.js';

const HOLDER = path.join(PROJECT_ROOT, 'test', 'integration', 'support', 'embeddedDatabaseHolder.ts');

/** Ages a lock as the clock would once its holder stopped refreshing it: the stale time (20 s) is too long to wait. */
const ageLock = (folder: string): void => {
  const then = new Date(Date.now() - EMBEDDED_DATABASE_LOCK.staleMs - 1_000);
  utimesSync(lockPathOf(folder), then, then);
};

// The service's own hold on its embedded database is tested where it starts on one (serverLifecycle.test.ts).
describe('the embedded database, one process at a time (its lock, held by another process)', () => {
  const dataDir = directoryPerTest('livechat-held-');
  const folder = (): string => path.join(dataDir(), 'pglite');
  let holder: NodeProcess | undefined;

  /** Another process holding the embedded database in this test's DATA_DIR. */
  const hold = async (): Promise<NodeProcess> => {
    holder = spawnNode(['--import', 'tsx', HOLDER, folder()], { env: {}, cwd: PROJECT_ROOT });
    while (!holder.stdout().includes('held\n')) {
      if (holder.child.exitCode !== null) throw new Error(`the holder exited:\n${holder.output()}`);
      await setTimeout(50);
    }
    return holder;
  };

  afterEach(async () => {
    if (holder !== undefined && holder.child.exitCode === null && holder.child.signalCode === null) {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    holder = undefined;
  });

  it('refuses to start the service: exit 1, the reason on stderr without a stack trace, the database untouched', async () => {
    await hold();
    const service = spawnService({ PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: dataDir() });
    // Bounded: a service that does start is killed rather than outlive the test.
    expect(await exitedWithin(service, 20_000), service.output()).to.equal(1);
    const inUse = `livechat-session failed to start: the embedded database in ${folder()} is in use by another process`;
    expect(service.stderr().startsWith(inUse), service.stderr()).to.equal(true);
    expect(service.stderr()).to.include('the embedded database serves one process at a time').and.include('set DATABASE_URL');
    expect(service.stderr().split('\n'), 'one line, no stack trace').to.have.length(2);
    expect(existsSync(folder()), 'PGlite never opened it').to.equal(false);
  });

  it('refuses a livechat command while the lock of a killed process (SIGKILL) is fresh, and lets one in once it is stale', async () => {
    const killed = await hold();
    killed.child.kill('SIGKILL');
    await killed.exited;

    const refused = await runCli(['migrate'], { env: { NODE_ENV: 'test', DATA_DIR: dataDir() }, cwd: dataDir() });
    expect(refused.code).to.equal(1);
    const inUse = `livechat: the embedded database in ${folder()} is in use by another process`;
    expect(refused.stderr.startsWith(inUse), refused.stderr).to.equal(true);
    expect(refused.stderr.split('\n'), 'one line, no stack trace').to.have.length(2);
    expect(refused.stderr).to.include('(If that process was killed, the folder is free again within 20 s.)');
    expect(existsSync(folder()), 'PGlite never opened it').to.equal(false);

    ageLock(folder());
    lockEmbeddedDatabase(folder(), captureLogs().logger)();
  });

  it("refuses knex's own CLI (knexfile.ts) while another process holds it, before PGlite opens the folder", async () => {
    await hold();
    const knexCli = await runKnexCli(['migrate:list'], { NODE_ENV: 'test', DATA_DIR: dataDir() });
    expect(knexCli.code, knexCli.stderr).to.equal(1);
    expect(knexCli.stderr).to.include(`the embedded database in ${folder()} is in use by another process`);
    expect(existsSync(folder()), 'PGlite never opened it').to.equal(false);
  });

  it("lets knex's own CLI (knexfile.ts) migrate it when free, and have it back when it exits", async function () {
    this.timeout(60_000); // PGlite creates a database in seconds, more on a busy machine
    const knexCli = await runKnexCli(['migrate:latest'], { NODE_ENV: 'test', DATA_DIR: dataDir() });
    expect(knexCli.code, knexCli.stderr).to.equal(0);
    expect(knexCli.stdout).to.include('Batch 1 run: 2 migrations');
    expect(existsSync(lockPathOf(folder())), 'the lock went with the process').to.equal(false);
    lockEmbeddedDatabase(folder(), captureLogs().logger)();
  });

  it('a holder whose lock was taken over (it stalled past the stale time) logs a warning and keeps running', async () => {
    const stalled = await hold();
    // A new lock's time is rounded up to the second: one taken over within that second would get the very same
    // time, and its holder would take it for its own. A refreshed lock's time is not rounded.
    const { mtimeMs } = statSync(lockPathOf(folder()));
    while (statSync(lockPathOf(folder())).mtimeMs === mtimeMs) await setTimeout(50);
    ageLock(folder());
    const release = lockEmbeddedDatabase(folder(), captureLogs().logger);
    try {
      const [warning] = await waitForLog(
        stalled,
        'lost the lock on the embedded database: another process may be using it too; stop the others and restart this one',
        1,
      );
      expect(warning).to.include({ level: 40, folder: folder() });
      expect(stalled.child.exitCode, stalled.output()).to.equal(null);
    } finally {
      release();
    }
  });
});
