import type { Knex } from 'knex';

/**
 * Holds the sessions table so that no session can be stored until `release`: a run's sessions then stay in
 * flight, waiting for the lock, for as long as a test needs (less than the statement timeout, 2 s).
 */
export const lockSessions = async (database: Knex): Promise<{ release: () => Promise<void> }> => {
  const lock = await database.transaction();
  await lock.raw('lock table sessions in share mode');
  return { release: async () => void (await lock.rollback()) };
};

/** Whether one of the service's own statements (as the CLI runs them) is waiting for a lock. */
export const insertWaitsForLock = async (database: Knex): Promise<boolean> => {
  const waiting = await database('pg_stat_activity')
    .where({ application_name: 'livechat-session', wait_event_type: 'Lock' })
    .count<{ count: string }[]>('* as count');
  return Number(waiting[0]?.count) > 0;
};
