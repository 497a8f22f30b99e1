import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import knex from 'knex';
import { DEFAULT_DATABASE_POOL_MAX } from '../../../src/infrastructure/config.js';
import { DATABASE_TIMEOUTS } from '../../../src/infrastructure/database.js';
import { migrateToLatest } from '../../../src/infrastructure/migrations.js';
import { captureLogs } from '../../support/logCapture.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { sessionRow } from '../support/sessionRows.js';
import { serviceKnexConfig } from '../support/testServices.js';

/** PostgreSQL's SQLSTATE for a row a CHECK constraint refused. */
const CHECK_VIOLATION = '23514';

/** Up, down and up again on a database of its own, so the shared test schema is never disturbed. */
describe('migrations', () => {
  let scratch: ScratchDatabase;

  before(async () => {
    scratch = await createScratchDatabase('livechat_migrations');
  });

  after(async () => {
    await scratch.drop();
  });

  it('creates guests and sessions, rolls them back completely, and applies again', async () => {
    await scratch.database.migrate.latest();
    expect(await scratch.tables()).to.deep.equal(['guests', 'sessions']);

    await scratch.database.migrate.rollback(undefined, true);
    expect(await scratch.tables()).to.deep.equal([]);

    await scratch.database.migrate.latest();
    expect(await scratch.tables()).to.deep.equal(['guests', 'sessions']);
  });

  it('indexes sessions by expiry, and the index goes with its own rollback', async () => {
    const expiryIndex = async (): Promise<string[]> =>
      (await scratch.database.raw<{ rows: { indexname: string }[] }>(
        "select indexname from pg_indexes where tablename = 'sessions' and indexname = 'sessions_expires_at_idx'",
      )).rows.map((row) => row.indexname);
    await scratch.database.migrate.latest();
    expect(await expiryIndex()).to.deep.equal(['sessions_expires_at_idx']);

    await scratch.database.migrate.down();
    expect(await expiryIndex()).to.deep.equal([]);
    expect(await scratch.tables()).to.deep.equal(['guests', 'sessions']);
    await scratch.database.migrate.latest();
    expect(await expiryIndex()).to.deep.equal(['sessions_expires_at_idx']);
  });

  it('runs a migration longer than the service’s statement timeout, while sessions go on being stored', async () => {
    await scratch.database.migrate.rollback(undefined, true);
    await scratch.database.migrate.up();
    const session = (guestId: string) => sessionRow(guestId, new Date('2026-12-08T00:00:00Z'));
    const guestId = randomUUID();
    await scratch.database('guests').insert({ id: guestId });

    // A transaction that wrote a session and stays open: building the index concurrently waits for it to end.
    const other = knex(serviceKnexConfig(scratch.url));
    const writing = await other.transaction();
    try {
      await writing('sessions').insert(session(guestId));
      let settled = false;
      const migrated = migrateToLatest(scratch.database, { databaseUrl: scratch.url, dataDir: '/nonexistent', databasePoolMax: DEFAULT_DATABASE_POOL_MAX }, captureLogs().logger).finally(() => {
        settled = true;
      });

      await sleep(DATABASE_TIMEOUTS.statementMs + 500);
      // Stored while the index is being built, and not held up by it.
      await scratch.database('sessions').insert(session(guestId));
      expect(settled, 'the migration waits for the open transaction').to.equal(false);
      await writing.commit();
      await migrated;
    } finally {
      if (!writing.isCompleted()) await writing.rollback();
      await other.destroy();
    }
    const valid = await scratch.database.raw<{ rows: { indisvalid: boolean }[] }>(
      "select indisvalid from pg_index where indexrelid = 'sessions_expires_at_idx'::regclass",
    );
    expect(valid.rows).to.deep.equal([{ indisvalid: true }]);
    expect(await scratch.database('sessions').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '2' }]);
  });

  it('enforces the profile bounds and user types in the database too', async () => {
    await scratch.database.migrate.latest();
    const guestId = '00000000-0000-4000-8000-000000000001';
    await scratch.database('guests').insert({ id: guestId });
    const row = {
      id: '00000000-0000-4000-8000-000000000002',
      user_id: guestId,
      name: 'Budi',
      city: 'Solo',
      country: 'Indonesia',
      started_at: new Date('2026-01-01T00:00:00Z'),
      expires_at: new Date('2026-01-02T00:00:00Z'),
    };
    const badRows: [Partial<typeof row> & { user_type?: string }, string][] = [
      [{ city: 'S' }, 'sessions_city_length_check'],
      [{ country: 'I' }, 'sessions_country_length_check'],
      [{ name: 'x'.repeat(101) }, 'sessions_name_length_check'],
      [{ user_type: 'admin' }, 'sessions_user_type_check'],
      [{ expires_at: row.started_at }, 'sessions_expiry_check'],
    ];
    for (const [bad, constraint] of badRows) {
      let refused: unknown;
      try {
        await scratch.database('sessions').insert({ ...row, ...bad });
      } catch (error) {
        refused = error;
      }
      const label = JSON.stringify(Object.keys(bad));
      expect(refused, label).to.be.instanceOf(Error);
      expect(refused, label).to.include({ code: CHECK_VIOLATION, constraint });
    }
    await scratch.database('sessions').insert(row);
  });
});
