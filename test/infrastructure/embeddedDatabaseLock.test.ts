import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { lockEmbeddedDatabase, lockPathOf } from '../../src/infrastructure/embeddedDatabaseLock.js';
import { captureLogs } from '../support/logCapture.js';
import { directoryPerTest } from '../support/tempDirectory.js';

// proper-lockfile keeps one lock per path and process: two holders, and a lock taken over, need two processes
// (test/integration/embeddedDatabaseLock.test.ts).

describe('lockEmbeddedDatabase', () => {
  const dataDir = directoryPerTest('livechat-lock-');
  const folder = (): string => path.join(dataDir(), 'pglite');

  it('refuses a second holder, naming the folder and saying what to do, until the first releases', () => {
    const { logger } = captureLogs();
    const release = lockEmbeddedDatabase(folder(), logger);

    expect(() => lockEmbeddedDatabase(folder(), logger)).to.throw(
      `the embedded database in ${folder()} is in use by another process (the service or another livechat command): ` +
        'the embedded database serves one process at a time. Stop that process and try again, or set DATABASE_URL ' +
        'to use a PostgreSQL server. (If that process was killed, the folder is free again within 20 s.)',
    );
    release();
    release();
    expect(existsSync(lockPathOf(folder())), 'the lock is gone').to.equal(false);
    lockEmbeddedDatabase(folder(), logger)();
  });

  it('says why when the lock cannot be made at all', () => {
    expect(() => lockEmbeddedDatabase(path.join(dataDir(), 'missing', 'pglite'), captureLogs().logger)).to.throw(
      `cannot lock the embedded database in ${path.join(dataDir(), 'missing', 'pglite')}: ENOENT`,
    );
  });
});
