import { readFileSync } from 'node:fs';
import type { Container } from 'inversify';
import type { Knex } from 'knex';
import pino from 'pino';
import { type CliDependencies, SchemaNotCurrent } from '../adapters/cli/cliDependencies.js';
import type { PruneSessions } from '../application/pruneSessions.js';
import type { StartSession } from '../application/startSession.js';
import { loadConfig, NO_SECRETS_NEEDED, type ProductionNeeds } from './config.js';
import { buildContainer } from './container.js';
import { createLogger } from './logger.js';
import { DATABASE_TIMEOUTS, databaseNamed, latestMigrationName, onDatabase } from './database.js';
import { hasLatestMigration, migrateToLatest, runMigrations } from './migrations.js';
import type { Tracing } from './tracing/tracing.js';
import { TYPES } from './types.js';

/**
 * The CLI's composition: the same configuration and the same container as the server, so a seeded session
 * goes through the very StartSession, repository and token issuer that POST /livechat/session uses. Logs go
 * to stderr: stdout carries only results. Nothing here is rate limited: the limiter lives in the HTTP adapter.
 */
const openContainer = (needs: ProductionNeeds) => {
  // The captcha keeps bots off the public endpoint; the operator's own tool is never asked to solve one, even
  // where it shares the server's environment.
  const config = { ...loadConfig(process.env, (file) => readFileSync(file, 'utf8'), needs), captcha: undefined };
  const logger = createLogger(config.logLevel, pino.destination({ dest: 2, sync: true }));
  return { config, logger, container: buildContainer(config, { logger }) };
};

/**
 * What `take` gets from the container, on a database with this release's schema: its pending migrations run first
 * (MIGRATE_ON_START), or, checked as the server's readiness checks it, a schema behind is SchemaNotCurrent before
 * anything is done, since on an older schema every statement would fail. `close` releases the pool and flushes the
 * spans (when OTEL_EXPORTER_OTLP_ENDPOINT is set) before the CLI exits; if anything fails first, the pool is released.
 */
const openOnCurrentSchema = async <T>(needs: ProductionNeeds, take: (container: Container) => T) => {
  const { config, logger, container } = openContainer(needs);
  const database = container.get<Knex>(TYPES.Database);
  try {
    if (config.migrateOnStart) {
      await migrateToLatest(database, config, logger);
    } else {
      const latest = latestMigrationName();
      const current = await onDatabase('reach', config, () => hasLatestMigration(database, latest, DATABASE_TIMEOUTS.queryMs));
      if (!current) throw new SchemaNotCurrent(databaseNamed(config), latest);
    }
    const taken = take(container);
    const tracing = container.get<Tracing | undefined>(TYPES.Tracing);
    const close = async (): Promise<void> => {
      await Promise.all([database.destroy(), tracing?.shutdown()]);
    };
    return { taken, database: databaseNamed(config), close };
  } catch (error) {
    await database.destroy();
    throw error;
  }
};

/** The commands that need the database, as `CliDependencies` has them. */
export const storeCommands: Pick<CliDependencies, 'openSeeder' | 'openPruner' | 'migrate'> = {
  // Seeding signs tokens, so production needs the key; it sets no cookie, so it needs no cookie secret.
  openSeeder: async () => {
    const { taken, database, close } = await openOnCurrentSchema({ signingKey: true, cookieSecret: false }, (container) =>
      container.get<StartSession>(TYPES.StartSession),
    );
    return { startSession: taken, database, close };
  },
  openPruner: async () => {
    const { taken, database, close } = await openOnCurrentSchema(NO_SECRETS_NEEDED, (container) =>
      container.get<PruneSessions>(TYPES.PruneSessions),
    );
    return { pruneSessions: taken, database, close };
  },
  migrate: async (direction) => {
    const { config, logger, container } = openContainer(NO_SECRETS_NEEDED);
    const database = container.get<Knex>(TYPES.Database);
    try {
      return await runMigrations(database, config, logger, direction);
    } finally {
      await database.destroy();
    }
  },
};
