import type { Knex } from 'knex';
import type { NewGuestSession, SessionRepository } from '../../application/ports/sessionRepository.js';
import type { Session } from '../../domain/session.js';
import { withStoreFailures } from './storeFailures.js';

// One statement, so one round trip and one implicit transaction: the claimed guest is reused when it exists,
// otherwise a new guest is inserted, and the session row follows. Nothing is half-written.
const SAVE_GUEST_SESSION = `
with claimed as (
  select id from guests where id = ?::uuid
), created as (
  insert into guests (id, created_at)
  select ?::uuid, ? where not exists (select 1 from claimed)
  returning id
), guest as (
  select id from claimed union all select id from created
)
insert into sessions (id, user_id, user_type, name, city, country, started_at, expires_at)
select ?::uuid, guest.id, 'guest', ?, ?, ?, ?, ? from guest
returning user_id`;

// A named statement is parsed and planned once per pooled connection instead of on every request: that
// CPU is taken from the same cores that sign tokens. (Behind PgBouncer in transaction mode this needs
// PgBouncer 1.21+ with max_prepared_statements set.)
const STATEMENT_NAME = 'livechat_save_guest_session';

export class KnexSessionRepository implements SessionRepository {
  constructor(private readonly knex: Knex) {}

  async saveGuestSession(session: NewGuestSession): Promise<Session> {
    const { id, claimedGuestId, newGuestId, profile, startedAt, expiresAt } = session;
    const result = await withStoreFailures(() =>
      this.knex.raw<{ rows: { user_id: string }[] }>(SAVE_GUEST_SESSION, [
        claimedGuestId,
        newGuestId,
        startedAt,
        id,
        profile.name,
        profile.city,
        profile.country,
        startedAt,
        expiresAt,
      ]).options({ name: STATEMENT_NAME }),
    );
    const stored = result.rows[0];
    if (stored === undefined) throw new Error('The session insert returned no row');
    return { id, userId: stored.user_id, userType: 'guest', profile, startedAt, expiresAt };
  }
}
