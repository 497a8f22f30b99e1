import knex from 'knex';
import { migrationSettings } from '../../../src/infrastructure/database.js';

/**
 * Integration tests run against a real PostgreSQL and Redis: the ones named by TEST_DATABASE_URL and
 * TEST_REDIS_URL, or else throwaway Testcontainers ones (which need a Docker engine). Never skipped.
 */
const stops: (() => Promise<unknown>)[] = [];

const withContainer = async <T>(what: string, variable: string, start: () => Promise<T>): Promise<T> => {
  try {
    return await start();
  } catch (error) {
    throw new Error(
      `${variable} is not set and Testcontainers could not start ${what} (it needs a Docker engine): ` +
        `${error instanceof Error ? error.message : String(error)}. Set ${variable} to a running server.`,
      { cause: error },
    );
  }
};

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL === undefined) {
    const postgres = await withContainer('PostgreSQL', 'TEST_DATABASE_URL', async () => {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      return new PostgreSqlContainer('postgres:16-alpine').start();
    });
    stops.push(() => postgres.stop());
    process.env.TEST_DATABASE_URL = postgres.getConnectionUri();
  }
  if (process.env.TEST_REDIS_URL === undefined) {
    const redis = await withContainer('Redis', 'TEST_REDIS_URL', async () => {
      const { RedisContainer } = await import('@testcontainers/redis');
      return new RedisContainer('redis:7-alpine').start();
    });
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
