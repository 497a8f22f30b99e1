import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { databaseNamed, onDatabase } from '../../src/infrastructure/database.js';
import { LOADED_CHECK, runInFreshProcess } from '../support/freshProcess.js';

describe('databaseNamed', () => {
  it('names DATABASE_URL as configured, with its password hidden', () => {
    expect(databaseNamed({ databaseUrl: 'postgres://app:s3cret@db.internal:5432/livechat', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://app:***@db.internal:5432/livechat',
    );
    expect(databaseNamed({ databaseUrl: 'postgres://app@db.internal/livechat?password=s3cret&sslmode=require', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://app@db.internal/livechat?password=***&sslmode=require',
    );
    expect(databaseNamed({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('names the embedded database by its folder when no DATABASE_URL is set', () => {
    expect(databaseNamed({ databaseUrl: undefined, dataDir: 'data' })).to.equal('the embedded database in data/pglite');
  });
});

describe('onDatabase', () => {
  const embedded = { databaseUrl: undefined, dataDir: 'data', databasePoolMax: 1 };
  // Typed as an Error only for the linter: the point is what happens when it is not one.
  const failureOf = async (thrown: unknown): Promise<string> => {
    try {
      await onDatabase('migrate', embedded, () => Promise.reject(thrown as Error));
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('onDatabase did not fail');
  };

  it('names the step and the database, then the reason', async () => {
    expect(await failureOf(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).to.equal(
      'cannot migrate the embedded database in data/pglite: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(await failureOf(Object.assign(new AggregateError([]), { code: 'ECONNREFUSED' }))).to.equal(
      'cannot migrate the embedded database in data/pglite: ECONNREFUSED',
    );
  });

  it("gives what PGlite's file system throws, a plain object, as it is rather than as [object Object]", async () => {
    expect(await failureOf({ name: 'ErrnoError', errno: 2 })).to.equal(
      "cannot migrate the embedded database in data/pglite: { name: 'ErrnoError', errno: 2 }",
    );
  });
});

describe('createDatabase', () => {
  it('loads the embedded database, and its lock, only when no DATABASE_URL is set', () => {
    const databaseModule = new URL('../../src/infrastructure/database.ts', import.meta.url).href;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-embedded-'));
    // A fresh process: this one may have loaded the embedded database for other tests already.
    const script = `${LOADED_CHECK}
import { createDatabase } from '${databaseModule}';
const logger = { warn() {}, debug() {} };
const embedded = () => [loaded('knex-pglite'), loaded('proper-lockfile')];
const seen = [embedded()];
await createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: '', databasePoolMax: 1 }, logger).destroy();
seen.push(embedded());
await createDatabase({ databaseUrl: undefined, dataDir: ${JSON.stringify(dataDir)}, databasePoolMax: 1 }, logger).destroy();
seen.push(embedded());
console.log(JSON.stringify(seen));
// Rather than wait for PGlite, never queried, to create its database in the background (over 15 s on a busy machine).
process.exit(0);`;
    try {
      const child = runInFreshProcess(script);

      expect(child.status, child.stderr).to.equal(0);
      expect(JSON.parse(child.stdout), 'loaded at import, after a DATABASE_URL database, after an embedded one').to.deep.equal([
        [false, false],
        [false, false],
        [true, true],
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('holds the embedded database from its creation to its destroy(), after which the process may open it again', () => {
    const databaseModule = new URL('../../src/infrastructure/database.ts', import.meta.url).href;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-embedded-'));
    // PGlite is never queried: the script exits rather than wait for it to create its database in the background.
    const script = `import { createDatabase } from '${databaseModule}';
const logger = { warn() {}, debug() {} };
const config = { databaseUrl: undefined, dataDir: ${JSON.stringify(dataDir)}, databasePoolMax: 1 };
const first = createDatabase(config, logger);
let second = 'opened';
try {
  createDatabase(config, logger);
} catch (error) {
  second = error.message;
}
await first.destroy();
await createDatabase(config, logger).destroy();
console.log(JSON.stringify(second));
process.exit(0);`;
    try {
      const child = runInFreshProcess(script);

      expect(child.status, child.stderr).to.equal(0);
      expect(JSON.parse(child.stdout)).to.match(/^the embedded database in .+\/pglite is in use by another process/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
