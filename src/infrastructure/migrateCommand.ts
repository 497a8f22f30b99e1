import { readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { createDatabase } from './database.js';
import { createLogger } from './logger.js';

/** `npm run migrate` applies pending migrations; `npm run migrate:rollback` undoes the last batch. */
const run = async (): Promise<void> => {
  const config = loadConfig(process.env, (file) => readFileSync(file, 'utf8'));
  const database = createDatabase(config, createLogger(config.logLevel));
  try {
    if (process.argv.includes('--rollback')) {
      const [batch, undone] = (await database.migrate.rollback()) as [number, string[]];
      process.stdout.write(undone.length === 0 ? 'Nothing to roll back.\n' : `Rolled back batch ${batch}: ${undone.join(', ')}\n`);
    } else {
      const [batch, applied] = (await database.migrate.latest()) as [number, string[]];
      process.stdout.write(applied.length === 0 ? 'Already up to date.\n' : `Applied batch ${batch}: ${applied.join(', ')}\n`);
    }
  } finally {
    await database.destroy();
  }
};

run().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
