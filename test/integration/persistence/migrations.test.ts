import { expect } from 'chai';
import type { Knex } from 'knex';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';

/** Up, down and up again on a database of its own, so the shared test schema is never disturbed. */
describe('migrations', () => {
  let scratch: ScratchDatabase;
  let database: Knex;

  before(async () => {
    scratch = await createScratchDatabase('livechat_migrations');
    database = scratch.database;
  });

  after(async () => {
    await scratch.drop();
  });

  const tables = (): Promise<string[]> => scratch.tables();

  it('creates guests and sessions, rolls them back completely, and applies again', async () => {
    await database.migrate.latest();
    expect(await tables()).to.deep.equal(['guests', 'sessions']);

    await database.migrate.rollback(undefined, true);
    expect(await tables()).to.deep.equal([]);

    await database.migrate.latest();
    expect(await tables()).to.deep.equal(['guests', 'sessions']);
  });

  it('enforces the profile bounds and user types in the database too', async () => {
    await database.migrate.latest();
    const guestId = '00000000-0000-4000-8000-000000000001';
    await database('guests').insert({ id: guestId });
    const row = {
      id: '00000000-0000-4000-8000-000000000002',
      user_id: guestId,
      name: 'Budi',
      city: 'Solo',
      country: 'Indonesia',
      started_at: new Date('2026-01-01T00:00:00Z'),
      expires_at: new Date('2026-01-02T00:00:00Z'),
    };
    for (const bad of [{ city: 'S' }, { name: 'x'.repeat(101) }, { user_type: 'admin' }, { expires_at: row.started_at }]) {
      let refused = false;
      try {
        await database('sessions').insert({ ...row, ...bad });
      } catch {
        refused = true;
      }
      expect(refused, JSON.stringify(Object.keys(bad))).to.equal(true);
    }
    await database('sessions').insert(row);
  });
});
