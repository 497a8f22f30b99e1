import type { Knex } from 'knex';
import { StoreUnavailable } from '../../application/errors.js';
import type { NewGuestSession, SessionRepository } from '../../application/ports/sessionRepository.js';
import type { Session } from '../../domain/session.js';
import { withStoreFailures } from './storeFailures.js';

// Each is one statement, so one round trip and one implicit transaction: nothing is half-written. Both end
// with the same session row, for the guest their `guest` step yields.
const INSERT_SESSION_OF_GUEST = `
insert into sessions (id, user_id, user_type, name, city, country, started_at, expires_at)
select ?::uuid, guest.id, 'guest', ?, ?, ?, ?, ? from guest`;

// A listener who claims no guest id (the first visit, and every visit without the guest cookie) gets a new
// guest, so there is nothing to look up: the guest row is inserted and the session row follows. The guest is
// the id we chose, so nothing needs to come back but the count.
const SAVE_NEW_GUEST_SESSION = `
with guest as (
  insert into guests (id, created_at) values (?::uuid, ?)
  returning id
)${INSERT_SESSION_OF_GUEST}`;

// A returning listener's claimed guest is reused when it exists; otherwise (forgotten or deleted) a new guest
// is inserted, and the session row follows. The claimed guest is held (as the session's foreign key would hold it)
// as it is found: one being pruned is waited for, and once deleted is not found, so a new guest is made instead of
// the insert failing on a foreign key that names no guest.
const SAVE_CLAIMED_GUEST_SESSION = `
with claimed as (
  select id from guests where id = ?::uuid for key share
), created as (
  insert into guests (id, created_at)
  select ?::uuid, ? where not exists (select 1 from claimed)
  returning id
), guest as (
  select id from claimed union all select id from created
)${INSERT_SESSION_OF_GUEST}
returning user_id`;

// Named statements are parsed and planned once per pooled connection instead of on every request: that CPU
// is taken from the same cores that sign tokens. (Behind PgBouncer in transaction mode this needs PgBouncer
// 1.21+ with max_prepared_statements set.)
const NEW_GUEST_STATEMENT = 'livechat_save_new_guest_session';
const CLAIMED_GUEST_STATEMENT = 'livechat_save_claimed_guest_session';

interface StoredRows {
  readonly rowCount: number | null;
  readonly rows: readonly { readonly user_id?: string }[];
}

export class KnexSessionRepository implements SessionRepository {
  constructor(private readonly knex: Knex) {}

  async saveGuestSession(session: NewGuestSession): Promise<Session> {
    const { id, claimedGuestId, newGuestId, profile, startedAt, expiresAt } = session;
    const sessionRow = [id, profile.name, profile.city, profile.country, startedAt, expiresAt];
    const result = await withStoreFailures(() =>
      claimedGuestId === null
        ? this.run(NEW_GUEST_STATEMENT, SAVE_NEW_GUEST_SESSION, [newGuestId, startedAt, ...sessionRow])
        : this.run(CLAIMED_GUEST_STATEMENT, SAVE_CLAIMED_GUEST_SESSION, [claimedGuestId, newGuestId, startedAt, ...sessionRow]),
    );
    // Only a claimed guest's statement says which guest the session went to; a new guest is the id we chose.
    const userId = claimedGuestId === null ? newGuestId : result.rows[0]?.user_id;
    if (result.rowCount !== 1 || userId === undefined) throw new Error('The session insert stored no row');
    return { id, userId, userType: 'guest', profile, startedAt, expiresAt };
  }

  /**
   * A fixed statement goes straight to knex's client (its pool and its dialect's driver), not through the
   * query builder: the builder's per-query formatting and runner cost about as much CPU as the driver
   * itself (profiled), and a statement that never changes has nothing for it to build.
   */
  private async run(name: string, sql: string, bindings: readonly unknown[]): Promise<StoredRows> {
    const client = this.knex.client as Knex.Client;
    let connection: unknown;
    try {
      connection = await client.acquireConnection();
    } catch (error) {
      // Whatever stops the pool from handing out a connection means the database cannot be used now: down,
      // full, or refusing the login (no such database or role, a wrong password, connections not allowed).
      throw new StoreUnavailable({ cause: error });
    }
    try {
      const executed = (await client.query(connection, { sql, bindings, options: { name } })) as { response: StoredRows };
      return executed.response;
    } finally {
      await client.releaseConnection(connection);
    }
  }
}
