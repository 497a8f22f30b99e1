import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DatabaseConfig } from './database.js';

/** The database as the operator configured it, for messages: DATABASE_URL without its password, or the embedded one. */
export const databaseNamed = (config: Pick<DatabaseConfig, 'databaseUrl' | 'dataDir'>): string => {
  if (config.databaseUrl === undefined) return `the embedded database in ${path.join(config.dataDir, 'pglite')}`;
  const url = new URL(config.databaseUrl);
  if (url.password !== '') url.password = '***';
  // The driver takes a password from the query too.
  for (const secret of ['password', 'sslpassword']) if (url.searchParams.has(secret)) url.searchParams.set(secret, '***');
  return `DATABASE_URL ${url.href}`;
};

// An AggregateError (a host name resolving to two addresses that both refuse) has an empty message, but a code.
const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message || String((error as NodeJS.ErrnoException).code ?? error.name) : String(error);

/** A migration that fails says which database it could not reach or change, since the driver's error does not. */
const naming = async <T>(config: DatabaseConfig, migrate: () => Promise<T>): Promise<T> => {
  try {
    return await migrate();
  } catch (error) {
    throw new Error(`cannot migrate ${databaseNamed(config)}: ${reasonOf(error)}`, { cause: error });
  }
};

/** Applies the pending migrations, or undoes the last batch; resolves to a one-line report for the operator. */
export const runMigrations = (database: Knex, config: DatabaseConfig, direction: 'latest' | 'rollback'): Promise<string> =>
  naming(config, async () => {
    if (direction === 'rollback') {
      const [batch, undone] = (await database.migrate.rollback()) as [number, string[]];
      return undone.length === 0 ? 'Nothing to roll back.' : `Rolled back batch ${batch}: ${undone.join(', ')}`;
    }
    const [batch, applied] = (await database.migrate.latest()) as [number, string[]];
    return applied.length === 0 ? 'Already up to date.' : `Applied batch ${batch}: ${applied.join(', ')}`;
  });

/** The pending migrations, as a start runs them (MIGRATE_ON_START), logging what it applied. */
export const migrateToLatest = async (database: Knex, config: DatabaseConfig, logger: Logger): Promise<void> => {
  const [, applied] = await naming(config, () => database.migrate.latest() as Promise<[number, string[]]>);
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied pending migrations');
};
