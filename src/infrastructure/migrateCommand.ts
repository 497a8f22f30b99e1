import { readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { createDatabase } from './database.js';
import { createLogger } from './logger.js';
import { runMigrations } from './migrations.js';

/** `npm run migrate` applies pending migrations; `npm run migrate:rollback` undoes the last batch. */
const run = async (): Promise<void> => {
  const config = loadConfig(process.env, (file) => readFileSync(file, 'utf8'), { signingKey: false, cookieSecret: false });
  const database = createDatabase(config, createLogger(config.logLevel));
  try {
    const report = await runMigrations(database, process.argv.includes('--rollback') ? 'rollback' : 'latest');
    process.stdout.write(`${report}\n`);
  } finally {
    await database.destroy();
  }
};

run().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
