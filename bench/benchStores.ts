/**
 * What the benchmarks leave in the shared PostgreSQL and Redis, and how it is removed: the rows they write into
 * the service's tables (all under one name) and the loopback client's rate-limit counters.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { BENCH_DATABASE_URL as DATABASE_URL, BENCH_REDIS_URL as REDIS_URL } from './localServices.js';

/** Marks the rows the bench writes into the service's tables, so they can be removed afterwards. */
export const BENCH_NAME = 'Bench Runner';
/** The body every benchmark request sends. */
export const BENCH_BODY = JSON.stringify({ name: BENCH_NAME, city: 'Solo', country: 'Indonesia' });

export const withDatabase = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const RATE_LIMIT_KEYS = ['livechat:ratelimit:*', 'bench-raw:*', 'bench-koa:*', 'bench-express:*'];

export const clearRateLimitKeys = async (): Promise<void> => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    for (const match of RATE_LIMIT_KEYS) {
      // Only the loopback client's counters: the bench's own traffic.
      const keys = (await redis.keys(match)).filter((key) => key.endsWith('127.0.0.1'));
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
};

/**
 * Removes the bench's rows (an interrupted run's too) and VACUUMs the two tables, before a run and after it.
 * A run writes and deletes a few hundred thousand rows; where autovacuum is off (as on the CI machines) nothing
 * else reclaims them, and the tables grew by tens of megabytes with every run, each run inserting into larger
 * tables than the last. On a database without the service's tables yet, there is nothing to do.
 */
export const resetServiceTables = (): Promise<void> =>
  withDatabase(async (client) => {
    const { rows } = await client.query<{ ready: boolean }>("select to_regclass('sessions') is not null and to_regclass('guests') is not null as ready");
    if (rows[0]?.ready !== true) return;
    await client.query(
      `with removed as (delete from sessions where name = $1 returning user_id)
       delete from guests where id in (select user_id from removed)`,
      [BENCH_NAME],
    );
    await client.query('vacuum (analyze) sessions, guests');
  });
