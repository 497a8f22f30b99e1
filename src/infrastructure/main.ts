import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { onEndDrainRequest, startClusterPrimary } from './cluster.js';
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

  const cutDrainShort = (reason: Record<string, unknown>): void => {
    if (running.endDrain()) logger.info(reason, 'drain cut short');
  };
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      // A worker may get one stop twice: sent to the whole process group (a terminal's Ctrl-C, an init such as
      // dumb-init) and passed on by the primary. So there, only the primary's message cuts the drain short.
      if (!cluster.isWorker) cutDrainShort({ signal });
      return;
    }
    shuttingDown = true;
    logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down');
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
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  onEndDrainRequest(() => cutDrainShort({ by: 'primary' }));
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`livechat-session failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
