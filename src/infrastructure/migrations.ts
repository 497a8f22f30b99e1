import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { migrationSettings, onDatabase, type DatabaseConfig } from './database.js';

/** Applies the pending migrations, or undoes the last batch; resolves to a one-line report for the operator. */
export const runMigrations = (database: Knex, config: DatabaseConfig, direction: 'latest' | 'rollback'): Promise<string> =>
  onDatabase('migrate', config, async () => {
    if (direction === 'rollback') {
      const [batch, undone] = (await database.migrate.rollback()) as [number, string[]];
      return undone.length === 0 ? 'Nothing to roll back.' : `Rolled back batch ${batch}: ${undone.join(', ')}`;
    }
    const [batch, applied] = (await database.migrate.latest()) as [number, string[]];
    return applied.length === 0 ? 'Already up to date.' : `Applied batch ${batch}: ${applied.join(', ')}`;
  });

/** The pending migrations, as a start runs them (MIGRATE_ON_START), logging what it applied. */
export const migrateToLatest = async (database: Knex, config: DatabaseConfig, logger: Logger): Promise<void> => {
  const [, applied] = await onDatabase('migrate', config, () => database.migrate.latest() as Promise<[number, string[]]>);
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
