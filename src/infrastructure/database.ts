import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type ClientPgLite from 'knex-pglite';
import type { Config } from './config.js';
import { folderInDataDir } from './dataDir.js';
import { lockEmbeddedDatabase } from './embeddedDatabaseLock.js';

export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../migrations', import.meta.url));

export const migrationSettings = {
  directory: MIGRATIONS_DIRECTORY,
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
} as const satisfies Knex.MigratorConfig;

/** This release's last migration, as knex records it once applied (knex orders migrations by file name). */
export const latestMigrationName = (): string => {
  const names = readdirSync(MIGRATIONS_DIRECTORY)
    .filter((name) => migrationSettings.loadExtensions.some((extension) => name.endsWith(extension)))
    .sort();
  const latest = names.at(-1);
  if (latest === undefined) throw new Error(`no migrations in ${MIGRATIONS_DIRECTORY}`);
  return latest;
};

/**
 * Bounded everywhere so that a dead or silent database costs a request at most ~4 s, never a hang:
 * connecting (2 s), waiting for a pooled connection (2 s), and running a statement (2 s on the server,
 * 3 s on the client when the server cannot even say so).
 */
export const DATABASE_TIMEOUTS = { connectMs: 2_000, acquireMs: 2_000, statementMs: 2_000, queryMs: 3_000 } as const;

/** What a pool is for: the service's statements, or a migration's (on a pool of its own). */
type PoolPurpose = 'requests' | 'migrations';

const postgresConfig = (connectionString: string, poolMax: number, purpose: PoolPurpose = 'requests'): Knex.Config => ({
  client: 'pg',
  connection: {
    connectionString,
    connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
    // These bound a listener's request; a migration (an index built over millions of sessions) may take minutes.
    ...(purpose === 'requests' ? { statement_timeout: DATABASE_TIMEOUTS.statementMs, query_timeout: DATABASE_TIMEOUTS.queryMs } : {}),
    application_name: purpose === 'requests' ? 'livechat-session' : 'livechat-migrate',
    keepAlive: true,
  },
  pool: { min: 0, max: poolMax, createTimeoutMillis: DATABASE_TIMEOUTS.connectMs, idleTimeoutMillis: 30_000 },
  acquireConnectionTimeout: DATABASE_TIMEOUTS.acquireMs,
  migrations: migrationSettings,
});

// PGlite (PostgreSQL built to WebAssembly) is loaded only for the embedded database: every process on DATABASE_URL
// would otherwise carry it for nothing, about 10 MB of memory and 50 ms of start each (measured).
const load = createRequire(import.meta.url);

const EMBEDDED_FOLDER = 'pglite';

const embeddedFolder = (dataDir: string): string => path.join(dataDir, EMBEDDED_FOLDER);

const pgliteClient = (): typeof ClientPgLite => load('knex-pglite') as typeof ClientPgLite;

const embeddedConfig = (dataDir: string, client = pgliteClient()): Knex.Config => ({
  client,
  dialect: 'postgres',
  connection: { filename: embeddedFolder(dataDir) },
  migrations: migrationSettings,
});

export type DatabaseConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolMax'>;

export const knexConfig = (config: DatabaseConfig): Knex.Config =>
  config.databaseUrl === undefined
    ? embeddedConfig(config.dataDir)
    : postgresConfig(config.databaseUrl, config.databasePoolMax);

const firstLine = (message: unknown): string => String(message).split('\n', 1)[0] ?? '';

/** Knex's own warnings (a failed connection attempt, …) as JSON log lines instead of bare console output. */
const knexLog = (logger: Logger): Knex.Logger => ({
  // Only the first line: knex writes a failed connection attempt's whole stack into the message.
  warn: (message: unknown) => logger.warn({ knex: firstLine(message) }, 'database warning'),
  error: (message: unknown) => logger.warn({ knex: firstLine(message) }, 'database error'),
  deprecate: (method: string, alternative: string) => logger.debug({ method, alternative }, 'knex deprecation'),
  debug: () => undefined,
});

/**
 * PGlite's knex client, which gives the folder back once its database is closed: every close goes through
 * knex's destroy(), and a process may open the folder again afterwards (tests do).
 */
const releasingOnDestroy = (release: () => void): typeof ClientPgLite =>
  class extends pgliteClient() {
    override async destroy(callback?: unknown): Promise<void> {
      try {
        await super.destroy(callback);
      } finally {
        release();
      }
    }
  };

/**
 * A pool of one connection to DATABASE_URL for migrations, without the service's statement and query timeouts. The
 * embedded database has neither timeout, and serves one connection: migrations run on its own pool.
 */
export const createMigrationDatabase = (databaseUrl: string, logger: Logger): Knex =>
  knex({ ...postgresConfig(databaseUrl, 1, 'migrations'), log: knexLog(logger) });

/** Holds the embedded database's folder for this process alone, made if missing; returns the release. */
const holdEmbeddedFolder = (dataDir: string, logger: Logger): (() => void) => {
  folderInDataDir(dataDir);
  // Before PGlite opens the folder: a second process must fail here, having touched nothing.
  const release = lockEmbeddedDatabase(embeddedFolder(dataDir), logger);
  try {
    // Made here rather than by PGlite, whose errors about a folder it may not write read "[object Object]".
    folderInDataDir(dataDir, EMBEDDED_FOLDER);
    return release;
  } catch (error) {
    release();
    throw error;
  }
};

export const createDatabase = (config: DatabaseConfig, logger: Logger): Knex => {
  if (config.databaseUrl !== undefined) return knex({ ...knexConfig(config), log: knexLog(logger) });
  const release = holdEmbeddedFolder(config.dataDir, logger);
  try {
    return knex({ ...embeddedConfig(config.dataDir, releasingOnDestroy(release)), log: knexLog(logger) });
  } catch (error) {
    release();
    throw error;
  }
};

/**
 * For knex's own CLI: DATABASE_URL as `livechat migrate` opens it (no statement timeout), or the embedded database,
 * held as the service and `livechat` hold it, so that neither opens it meanwhile (two processes on one PGlite folder
 * lose rows or corrupt it). The CLI exits without closing the database: the lock goes with the process.
 */
export const knexCliConfig = (config: Pick<DatabaseConfig, 'databaseUrl' | 'dataDir'>, logger: Logger): Knex.Config => {
  if (config.databaseUrl !== undefined) return postgresConfig(config.databaseUrl, 1, 'migrations');
  holdEmbeddedFolder(config.dataDir, logger);
  return embeddedConfig(config.dataDir);
};

/** The database as the operator configured it, for messages: DATABASE_URL without its password, or the embedded one. */
export const databaseNamed = (config: Pick<DatabaseConfig, 'databaseUrl' | 'dataDir'>): string => {
  if (config.databaseUrl === undefined) return `the embedded database in ${embeddedFolder(config.dataDir)}`;
  const url = new URL(config.databaseUrl);
  if (url.password !== '') url.password = '***';
  // The driver takes a password from the query too.
  for (const secret of ['password', 'sslpassword']) if (url.searchParams.has(secret)) url.searchParams.set(secret, '***');
  return `DATABASE_URL ${url.href}`;
};

/**
 * Why a database step failed: its message, or its code where it has none (an AggregateError, when a host name's two
 * addresses both refuse). PGlite throws plain objects from its file system (`{ name: 'ErrnoError', errno: 2 }`).
 */
const reasonOf = (error: unknown): string => {
  if (error instanceof Error) return error.message || String((error as NodeJS.ErrnoException).code ?? error.name);
  if (typeof error === 'object' && error !== null) return inspect(error, { breakLength: Infinity, depth: 2 });
  return String(error);
};

/**
 * Runs a step on the database; if it fails, the error says what could not be done to which database, since the
 * driver's error ("connect ECONNREFUSED 127.0.0.1:5432") names neither the setting nor the step.
 */
export const onDatabase = async <T>(what: string, config: DatabaseConfig, step: () => Promise<T>): Promise<T> => {
  try {
    return await step();
  } catch (error) {
    throw new Error(`cannot ${what} ${databaseNamed(config)}: ${reasonOf(error)}`, { cause: error });
  }
};
