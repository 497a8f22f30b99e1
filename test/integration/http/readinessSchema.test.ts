import { expect } from 'chai';
import type { Knex } from 'knex';
import { TYPES } from '../../../src/infrastructure/types.js';
import { send } from '../../support/httpClient.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

/** An instance started without migrating (MIGRATE_ON_START=false) on a database whose schema is not there yet. */
describe('readiness and the database schema', () => {
  let scratch: ScratchDatabase;
  let app: TestApp;

  beforeEach(async () => {
    scratch = await createScratchDatabase('livechat_readiness');
    app = await startTestApp({ env: { DATABASE_URL: scratch.url, REDIS_URL: '' } });
  });

  afterEach(async () => {
    await app.stop();
    await scratch.drop();
  });

  it('is not ready while migrations are pending, writes nothing while it checks, and is ready once they ran', async () => {
    // A failed statement is an ERROR in PostgreSQL's log, on every probe of every instance: the probe makes none.
    const failed: unknown[] = [];
    app.container.get<Knex>(TYPES.Database).on('query-error', (error: unknown) => failed.push(error));
    const pending = await send(app.baseUrl, { path: '/readyz' });
    expect(pending.status).to.equal(503);
    expect(pending.json).to.deep.equal({ status: 'not_ready', checks: { database: 'migrations_pending', redis: 'not_configured' } });
    const tables = await scratch.database.raw<{ rows: unknown[] }>("select 1 from pg_tables where schemaname = 'public'");
    expect(tables.rows, 'the probe creates no table (not even knex_migrations)').to.deep.equal([]);
    expect(failed, 'no statement failed').to.deep.equal([]);

    await scratch.database.migrate.latest();
    const ready = await send(app.baseUrl, { path: '/readyz' });
    expect(ready.status).to.equal(200);
    expect(ready.json).to.deep.equal({ status: 'ready', checks: { database: 'up', redis: 'not_configured' } });
  });

  it('is not ready on a schema an older release left (the latest migration not applied)', async () => {
    await scratch.database.migrate.latest();
    await scratch.database('knex_migrations').update({ name: '20250101000000_an_older_release.ts' });
    const behind = await send(app.baseUrl, { path: '/readyz' });
    expect(behind.status).to.equal(503);
    expect((behind.json as { checks: unknown }).checks).to.deep.equal({ database: 'migrations_pending', redis: 'not_configured' });
  });
});
