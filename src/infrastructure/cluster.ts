import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { serveClusterMetrics } from './clusterMetrics.js';
import { SHUTDOWN_GRACE_MS, type Config } from './config.js';
import { createDatabase } from './database.js';
import { RestartBackoff } from './restartBackoff.js';
import { resolveCookieSecrets, resolveSigningKeys } from './secrets.js';
import { createPrimaryMetrics } from './metrics.js';
import { migrateToLatest } from './migrations.js';
import { onStopSignals } from './stopSignals.js';

/** After this long past a worker's drain and grace period, workers still alive on shutdown are killed. */
const SHUTDOWN_KILL_MARGIN_MS = 4_000;
/** What the primary sends its workers when a second stop signal comes. */
const REPEATED_STOP_MESSAGE = 'livechat:stop-again';

/** Work done once for all workers: development secrets generated and pending migrations applied. */
const prepareOnce = async (config: Config, logger: Logger): Promise<void> => {
  resolveSigningKeys(config, logger);
  resolveCookieSecrets(config, logger);
  if (!config.migrateOnStart) return;
  const database = createDatabase(config, logger);
  try {
    await migrateToLatest(database, config, logger);
  } finally {
    await database.destroy();
  }
};

/**
 * The primary of `WEB_CONCURRENCY` workers that share the port. It prepares what they share, forks them,
 * restarts one that dies unexpectedly (after a growing pause when they keep dying: RestartBackoff), and on
 * SIGTERM/SIGINT tells each to stop (they drain, stop accepting, finish in-flight requests and close their pools),
 * then exits 0 when all did so cleanly. A second signal is passed on: it cuts the workers' drain short, or, once
 * that is over, ends them at once.
 */
const runPrimary = async (config: Config, logger: Logger): Promise<void> => {
  await prepareOnce(config, logger);

  // Migrations ran here; the workers must not race each other doing it again.
  const workerEnv = { MIGRATE_ON_START: 'false' };
  let shuttingDown = false;
  let failed = false;
  const backoff = new RestartBackoff();
  const metrics = createPrimaryMetrics();
  const alive = new Set<Worker>();
  const listeningSince = new WeakMap<Worker, number>();
  // Which of the WEB_CONCURRENCY places a worker holds (a replacement takes its predecessor's), and whether it
  // is the place's first worker.
  const placeOf = new WeakMap<Worker, { readonly slot: number; readonly replacing: boolean }>();

  const fork = (slot: number, replacing: boolean): void => {
    const worker = cluster.fork(workerEnv);
    alive.add(worker);
    placeOf.set(worker, { slot, replacing });
    worker.once('listening', () => {
      listeningSince.set(worker, Date.now());
      logger.info({ workerPid: worker.process.pid }, 'worker listening');
    });
  };

  const exitWhenAllGone = (): void => {
    if (alive.size > 0) return;
    // Each worker says it stopped; the primary's own line says that the whole service has.
    logger.info({ workers: config.webConcurrency }, 'stopped');
    process.exit(failed ? 1 : 0);
  };

  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down the workers');
    for (const worker of alive) worker.process.kill('SIGTERM');
    // Each worker drains, then gives its requests in flight the grace period, then closes its pools.
    setTimeout(() => {
      logger.error('workers did not stop in time; killing them');
      for (const worker of alive) worker.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownDrainMs + SHUTDOWN_GRACE_MS + SHUTDOWN_KILL_MARGIN_MS).unref();
    exitWhenAllGone();
  };

  // Each worker takes it as its own second stop: the drain ends, or, after it, the worker exits at once.
  const passOnRepeatedStop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stop asked again: passing it on to the workers');
    for (const worker of alive) {
      // The callback takes the error of a worker already gone, which would otherwise be thrown as an event.
      if (worker.isConnected()) worker.send(REPEATED_STOP_MESSAGE, () => undefined);
    }
  };

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    if (shuttingDown) {
      // A worker stopped by our SIGTERM before it could install its own handler dies of the signal: fine.
      if (code !== 0 && signal !== 'SIGTERM') failed = true;
      exitWhenAllGone();
      return;
    }
    const listenedAt = listeningSince.get(worker);
    const { slot, replacing } = placeOf.get(worker) ?? { slot: 0, replacing: false };
    if (listenedAt === undefined && !replacing) {
      // One of the first workers never served: a restart would fail the same way (bad key, port taken), so give
      // up loudly. A replacement may die for a passing reason (memory, a signal), and is retried after a pause.
      logger.error({ workerPid: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
      failed = true;
      shutdown('SIGTERM');
      return;
    }
    metrics.workerRestarted(signal !== null ? 'signal' : code === 0 ? 'clean_exit' : 'nonzero_exit');
    const restartInMs = backoff.pauseAfter(slot, listenedAt === undefined ? undefined : Date.now() - listenedAt);
    const details = { workerPid: worker.process.pid, code, signal, restartInMs };
    if (listenedAt === undefined) logger.error(details, 'a new worker died before it listened; starting another');
    // A clean exit nobody asked for (a stop signal sent to the worker alone) is no crash, yet leaves a core idle.
    else if (code === 0 && signal === null) logger.warn(details, 'a worker exited though nobody asked it to stop; starting another');
    else logger.error(details, 'a worker died; starting another');
    setTimeout(() => {
      if (!shuttingDown) fork(slot, true);
    }, restartInMs);
  });

  onStopSignals(shutdown, passOnRepeatedStop);
  serveClusterMetrics(metrics.registry, () => [...alive].filter((worker) => listeningSince.has(worker)), logger);
  for (let slot = 0; slot < config.webConcurrency; slot += 1) fork(slot, false);
  logger.info({ workers: config.webConcurrency, port: config.port }, 'cluster started');
};

/**
 * Becomes the cluster primary when more than one worker is configured, and then returns true: this process
 * serves nothing itself. Returns false in a worker or a single-process setup, which then serves.
 */
export const startClusterPrimary = async (config: Config, logger: Logger): Promise<boolean> => {
  if (config.webConcurrency <= 1 || !cluster.isPrimary) return false;
  await runPrimary(config, logger);
  return true;
};

/** In a worker: calls `stopAgain` when the primary passes on a second stop signal. Elsewhere: nothing. */
export const onRepeatedStop = (stopAgain: () => void): void => {
  if (!cluster.isWorker) return;
  process.on('message', (message) => {
    if (message === REPEATED_STOP_MESSAGE) stopAgain();
  });
};
