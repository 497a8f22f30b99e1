import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import pino from 'pino';
import { loadConfig, NO_SECRETS_NEEDED } from './src/infrastructure/config.js';
import { knexCliConfig } from './src/infrastructure/database.js';
import { createLogger } from './src/infrastructure/logger.js';

/**
 * For the knex CLI: the same database and migrations the service uses, from the same configuration, opened as
 * `livechat migrate` opens it, with no signing key or cookie secret needed, in production either. The embedded
 * database is held from here until the CLI exits, so it is read only when the CLI asks for it, not when this file is
 * imported. This file and what it imports are TypeScript, which knex cannot load alone:
 * `NODE_OPTIONS="--import tsx" npx knex migrate:list`.
 */
export default (): Knex.Config => {
  const config = loadConfig(process.env, (file) => readFileSync(file, 'utf8'), NO_SECRETS_NEEDED);
  return knexCliConfig(config, createLogger(config.logLevel, pino.destination({ dest: 2, sync: true })));
};
