import { readFileSync } from 'node:fs';
import { startClusterPrimary } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

const main = async (): Promise<void> => {
  const config = loadConfig(process.env, (file) => readFileSync(file, 'utf8'));
  const logger = createLogger(config.logLevel);
  if (await startClusterPrimary(config, logger)) return;
  const container = buildContainer(config, { logger });
  const running = await startServer(container);

  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`livechat-session failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
