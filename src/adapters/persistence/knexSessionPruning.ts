import type { Knex } from 'knex';
import type { PrunedCounts, SessionPruning } from '../../application/ports/sessionPruning.js';
import { withStoreFailures } from './storeFailures.js';

// Oldest first through sessions_expires_at_idx; rows another pruner holds are left to it.
export const DELETE_EXPIRED_SESSIONS = `
with doomed as (
  select id from sessions where expires_at < ? order by expires_at limit ? for update skip locked
)
delete from sessions using doomed where sessions.id = doomed.id
returning sessions.user_id`;

// Locked before they are looked at: a session being started for one of them (its insert holds the guest while
// it checks its foreign key) is committed first, and the next statement, which looks afresh, sees it. A session
// started after the lock waits, finds its guest gone and is stored for a new guest (KnexSessionRepository).
const LOCK_GUESTS = `select id from guests where id = any(?::uuid[]) for update`;

const DELETE_GUESTS_WITHOUT_SESSIONS = `
delete from guests
where id = any(?::uuid[]) and not exists (select 1 from sessions where sessions.user_id = guests.id)`;

const COUNT_PRUNABLE = `
with expired as (
  select user_id from sessions where expires_at < ?
)
select
  (select count(*) from expired)::int as sessions,
  (select count(distinct user_id) from expired
    where not exists (select 1 from sessions kept where kept.user_id = expired.user_id and kept.expires_at >= ?))::int as guests`;

/**
 * Counting a backlog reads every expired session's index entry: about 3 s a million (`npm run bench:prune`), far over
 * the 2 s that bound a listener's statement. An operator's count is given 10 minutes (the server's limit, then the
 * driver's, a little later); Ctrl-C ends it sooner.
 */
const COUNT_TIMEOUT_MS = 600_000;

export class KnexSessionPruning implements SessionPruning {
  constructor(private readonly knex: Knex) {}

  pruneBatch(expiredBefore: Date, limit: number): Promise<PrunedCounts> {
    return withStoreFailures(() =>
      this.knex.transaction(async (transaction) => {
        const deleted = await transaction.raw<{ rows: { user_id: string }[] }>(DELETE_EXPIRED_SESSIONS, [expiredBefore, limit]);
        const guests = [...new Set(deleted.rows.map((row) => row.user_id))];
        if (guests.length === 0) return { sessions: deleted.rows.length, guests: 0 };
        await transaction.raw(LOCK_GUESTS, [guests]);
        const orphaned = await transaction.raw<{ rowCount: number }>(DELETE_GUESTS_WITHOUT_SESSIONS, [guests]);
        return { sessions: deleted.rows.length, guests: orphaned.rowCount };
      }),
    );
  }

  countPrunable(expiredBefore: Date): Promise<PrunedCounts> {
    return withStoreFailures(() =>
      this.knex.transaction(async (transaction) => {
        await transaction.raw(`set local statement_timeout = ${COUNT_TIMEOUT_MS}`);
        const counted = await transaction
          .raw<{ rows: PrunedCounts[] }>(COUNT_PRUNABLE, [expiredBefore, expiredBefore])
          .options({ query_timeout: COUNT_TIMEOUT_MS + 1_000 });
        const [counts] = counted.rows;
        if (counts === undefined) throw new Error('The count of prunable sessions returned no row');
        return counts;
      }),
    );
  }
}
