import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { serviceKnexConfig, testDatabaseUrl } from './testServices.js';

export interface ScratchDatabase {
  readonly url: string;
  readonly database: Knex;
  /** The application tables (migration bookkeeping aside), by name. */
  tables(): Promise<string[]>;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database beside the test one, for tests that must not disturb the shared schema. */
export const createScratchDatabase = async (prefix: string): Promise<ScratchDatabase> => {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: testDatabaseUrl() });
  await admin.raw('create database ??', [name]);
  const parsed = new URL(testDatabaseUrl());
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const database = knex(serviceKnexConfig(url));
  return {
    url,
    database,
    tables: async () => {
      const result = await database.raw<{ rows: { tablename: string }[] }>(
        "select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex_%' order by tablename",
      );
      return result.rows.map((row) => row.tablename);
    },
    drop: async () => {
      await database.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    },
  };
};
