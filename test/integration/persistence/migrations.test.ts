import { expect } from 'chai';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';

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
