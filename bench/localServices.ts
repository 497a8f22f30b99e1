/**
 * The PostgreSQL and Redis the benchmarks use: the development machines' own, unless BENCH_DATABASE_URL or
 * BENCH_REDIS_URL names others, so that `npm run bench` and `npm run bench:seed` work on a fresh clone there.
 */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
