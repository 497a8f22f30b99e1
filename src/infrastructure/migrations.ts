import type { Knex } from 'knex';

/** Applies the pending migrations, or undoes the last batch; resolves to a one-line report for the operator. */
export const runMigrations = async (database: Knex, direction: 'latest' | 'rollback'): Promise<string> => {
  if (direction === 'rollback') {
    const [batch, undone] = (await database.migrate.rollback()) as [number, string[]];
    return undone.length === 0 ? 'Nothing to roll back.' : `Rolled back batch ${batch}: ${undone.join(', ')}`;
  }
  const [batch, applied] = (await database.migrate.latest()) as [number, string[]];
  return applied.length === 0 ? 'Already up to date.' : `Applied batch ${batch}: ${applied.join(', ')}`;
};
