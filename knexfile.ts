import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { loadConfig } from './src/infrastructure/config.js';
import { knexConfig } from './src/infrastructure/database.js';

/** For the knex CLI: the same database and migrations the service uses, from the same configuration. */
const config: Knex.Config = knexConfig(loadConfig(process.env, (file) => readFileSync(file, 'utf8')));
export default config;
