import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { MigrationOutcome } from '../adapters/cli/cliDependencies.js';
import { createMigrationDatabase, migrationSettings, onDatabase, type DatabaseConfig } from './database.js';

/**
 * Runs `migrate` on the database migrations use: a pool of its own without the timeouts that bound the service's
 * statements (on DATABASE_URL), or the embedded database as given.
 */
const migrating = async <T>(database: Knex, config: DatabaseConfig, logger: Logger, migrate: (on: Knex) => Promise<T>): Promise<T> => {
  if (config.databaseUrl === undefined) return migrate(database);
  const own = createMigrationDatabase(config.databaseUrl, logger);
  try {
    return await migrate(own);
  } finally {
    await own.destroy();
  }
};

/** The tables of the schema the migrations work in. */
const tablesOf = async (database: Knex): Promise<Set<string>> =>
  new Set(await database('pg_catalog.pg_tables').whereRaw('schemaname = current_schema()').pluck<string[]>('tablename'));

const migrateOn = async (database: Knex, direction: 'latest' | 'rollback'): Promise<MigrationOutcome> => {
  if (direction === 'rollback') {
    const before = await tablesOf(database);
    const [batch, undone] = (await database.migrate.rollback()) as [number, string[]];
    const after = await tablesOf(database);
    return {
      report: undone.length === 0 ? 'Nothing to roll back.' : `Rolled back batch ${batch}: ${undone.join(', ')}`,
      droppedTables: [...before].filter((table) => !after.has(table)).sort(),
    };
  }
  const [batch, applied] = (await database.migrate.latest()) as [number, string[]];
  return { report: applied.length === 0 ? 'Already up to date.' : `Applied batch ${batch}: ${applied.join(', ')}`, droppedTables: [] };
};

/**
 * Applies the pending migrations, or undoes the last batch; resolves to a one-line report for the operator and, for a
 * rollback, the tables it dropped (every row of theirs gone with them). Those are found by looking, before and after,
 * rather than read from the migrations: a migration's `down` says what it drops only in code.
 */
export const runMigrations = (
  database: Knex,
  config: DatabaseConfig,
  logger: Logger,
  direction: 'latest' | 'rollback',
): Promise<MigrationOutcome> =>
  onDatabase('migrate', config, () => migrating(database, config, logger, (on) => migrateOn(on, direction)));

/** The pending migrations, as a start runs them (MIGRATE_ON_START), logging what it applied. */
export const migrateToLatest = async (database: Knex, config: DatabaseConfig, logger: Logger): Promise<void> => {
  const [, applied] = await onDatabase('migrate', config, () =>
    migrating(database, config, logger, (on) => on.migrate.latest() as Promise<[number, string[]]>),
  );
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied pending migrations');
};

/**
 * Whether this release's last migration has run. Reads the migrations table, never creates it (as knex's own
 * `migrate.list()` would), and asks first whether it exists: a query of a missing table would be an ERROR in
 * PostgreSQL's log, at every readiness probe of every instance.
 */
export const hasLatestMigration = async (database: Knex, latestMigration: string, timeoutMs: number): Promise<boolean> => {
  const table = migrationSettings.tableName;
  const [catalog] = (await database
    .select(database.raw('to_regclass(?) is not null as present', [table]))
    .timeout(timeoutMs)) as { present: boolean }[];
  if (catalog?.present !== true) return false;
  const applied = await database.select(database.raw('1')).from(table).where({ name: latestMigration }).timeout(timeoutMs);
  return applied.length > 0;
};
