import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { loadConfig } from './src/infrastructure/config.js';
import { migrationKnexConfig } from './src/infrastructure/database.js';

/**
 * For the knex CLI: the same database and migrations the service uses, from the same configuration, opened as
 * `livechat migrate` opens it (no statement timeout). This file and what it imports are TypeScript, which knex
 * cannot load alone: `NODE_OPTIONS="--import tsx" npx knex migrate:list`.
 */
const config: Knex.Config = migrationKnexConfig(loadConfig(process.env, (file) => readFileSync(file, 'utf8')));
export default config;
