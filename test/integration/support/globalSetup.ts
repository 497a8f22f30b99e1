import knex from 'knex';
import { migrationSettings } from '../../../src/infrastructure/database.js';

/**
 * Integration tests run against a real PostgreSQL and Redis: the ones named by TEST_DATABASE_URL and
 * TEST_REDIS_URL, or else throwaway Testcontainers ones (which need a Docker engine). Never skipped.
 */
const stops: (() => Promise<unknown>)[] = [];

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL === undefined) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const postgres = await new PostgreSqlContainer('postgres:16-alpine').start();
    stops.push(() => postgres.stop());
    process.env.TEST_DATABASE_URL = postgres.getConnectionUri();
  }
  if (process.env.TEST_REDIS_URL === undefined) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const redis = await new RedisContainer('redis:7-alpine').start();
    stops.push(() => redis.stop());
    process.env.TEST_REDIS_URL = redis.getConnectionUrl();
  }
  const database = knex({ client: 'pg', connection: process.env.TEST_DATABASE_URL, migrations: migrationSettings });
  try {
    await database.migrate.latest();
  } finally {
    await database.destroy();
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await Promise.allSettled(stops.map((stop) => stop()));
}
