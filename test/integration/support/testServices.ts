import type { Knex } from 'knex';
import { DEFAULT_DATABASE_POOL_MAX } from '../../../src/infrastructure/config.js';
import { knexConfig } from '../../../src/infrastructure/database.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: the integration global setup did not run`);
  return value;
};

export const testDatabaseUrl = (): string => required('TEST_DATABASE_URL');
export const testRedisUrl = (): string => required('TEST_REDIS_URL');

/** The service's own knex settings (timeouts, pool) for a PostgreSQL database. */
export const serviceKnexConfig = (databaseUrl: string, databasePoolMax = DEFAULT_DATABASE_POOL_MAX): Knex.Config =>
  knexConfig({ databaseUrl, dataDir: '/nonexistent', databasePoolMax });
