import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { onRepeatedStop, startClusterPrimary } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { buildContainer } from './container.js';
import { createLogger, routeConsoleToLogger } from './logger.js';
import { startServer } from './server.js';
import { onStopSignals } from './stopSignals.js';

const main = async (): Promise<void> => {
  const config = loadConfig(process.env, (file) => readFileSync(file, 'utf8'));
  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
  const redisIsWhy = config.databaseUrl !== undefined && config.redisUrl === undefined;
  if (config.environment === 'production' && config.webConcurrency === 1 && redisIsWhy) {
    // Production's default is a worker per core; say why this one runs a single process.
    logger.info('serving from one process: more workers need REDIS_URL, as the in-memory rate limit counts per process');
  }
  const secureNeverSeen = config.cookies.security === 'auto' && config.trustedProxyHops === 0;
  if (config.environment === 'production' && secureNeverSeen && cluster.isPrimary) {
    // The service itself serves plain HTTP: HTTPS ends at a proxy, and only a trusted proxy can say so. (Said
    // once: workers run this file too.)
    logger.warn(
      {
        hint:
          'behind an HTTPS proxy, set TRUST_PROXY to its number of hops (without it, every client is also counted as ' +
          "the proxy's address: one rate-limit quota for all), or COOKIE_SECURE=true",
      },
      'cookies will never be marked Secure: COOKIE_SECURE=auto sees no HTTPS request without TRUST_PROXY',
    );
  }
  if (await startClusterPrimary(config, logger)) return;
  const container = buildContainer(config, { logger });
  const running = await startServer(container);

  // A second stop ends the drain; after the drain, it ends the process without waiting for requests in flight.
  const stopNow = (reason: Record<string, unknown>): void => {
    if (running.endDrain()) {
      logger.info(reason, 'drain cut short');
      return;
    }
    logger.warn(reason, 'stop asked again: exiting without waiting for requests in flight');
    process.exit(1);
  };
  const shutdown = (signal: NodeJS.Signals): void => {
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
  // In a worker a repeated signal may be the group's copy of the primary's stop: only the primary's word counts.
  onStopSignals(shutdown, (signal) => {
    if (!cluster.isWorker) stopNow({ signal });
  });
  onRepeatedStop(() => stopNow({ by: 'primary' }));
};

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`livechat-session failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
