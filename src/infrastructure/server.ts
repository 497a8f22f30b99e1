import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Container } from 'inversify';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { answerClientError } from '../adapters/http/clientError.js';
import type { HttpMetrics } from '../adapters/http/httpMetrics.js';
import { responseUnderWay } from '../adapters/http/responseUnderWay.js';
import { markUnmetExpectation } from '../adapters/http/unmetExpectation.js';
import { ConfigError, SHUTDOWN_GRACE_MS, type Config } from './config.js';
import { migrateToLatest } from './migrations.js';
import type { ServiceReadiness } from './readiness.js';
import { waitUntilReady } from './redis.js';
import type { Tracing } from './tracing/tracing.js';
import { TYPES } from './types.js';

const REDIS_STARTUP_WAIT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /**
   * Says "stopping" on /readyz while still serving for the drain (`SHUTDOWN_DRAIN_MS`), then stops accepting,
   * lets in-flight requests finish, and closes the pools.
   */
  stop(): Promise<void>;
  /** Cuts a drain under way short (the stop goes on at once); false when none is. */
  endDrain(): boolean;
}

export const closeResources = async (container: Container): Promise<void> => {
  const database = container.get<Knex>(TYPES.Database);
  const redis = container.get<Redis | undefined>(TYPES.Redis, { optional: true });
  const tracing = container.get<Tracing | undefined>(TYPES.Tracing, { optional: true });
  await Promise.allSettled([database.destroy(), redis?.quit().catch(() => redis.disconnect()), tracing?.shutdown()]);
};

/**
 * Why the server could not listen, said of the variables that chose where: Node names only the system call
 * (`getaddrinfo ENOTFOUND 256.1.1.1`), which leaves the operator to guess which setting it came from.
 */
const listenProblem = (error: unknown, config: Config): ConfigError | undefined => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ConfigError([`HOST ${config.host} is not an address, nor a name that resolves to one (${code})`]);
    case 'EADDRNOTAVAIL':
      return new ConfigError([`HOST ${config.host} is not an address of this machine (${code})`]);
    case 'EADDRINUSE':
      return new ConfigError([`PORT ${config.port} is already taken on HOST ${config.host} (${code})`]);
    case 'EACCES':
      return new ConfigError([`HOST ${config.host}, PORT ${config.port}: not allowed to listen there; ports below 1024 need privileges (${code})`]);
    default:
      return undefined;
  }
};

export const startServer = async (container: Container): Promise<RunningServer> => {
  const config = container.get<Config>(TYPES.Config);
  const logger = container.get<Logger>(TYPES.Logger);
  // Opened first, so that an embedded database another process holds stops the start before anything else.
  const database = container.get<Knex>(TYPES.Database);
  if (config.migrateOnStart) await migrateToLatest(database, config, logger);
  const redis = container.get<Redis | undefined>(TYPES.Redis);
  if (redis !== undefined && !(await waitUntilReady(redis, REDIS_STARTUP_WAIT_MS))) {
    logger.warn('redis is not reachable; starting anyway, the rate limiter fails open until it is');
  }

  const app = container.get<Koa>(TYPES.HttpApp);
  const readiness = container.get<ServiceReadiness>(TYPES.Readiness);
  const handleRequest = app.callback();
  const server = createServer(
    {
      // Keep-alive longer than a typical load balancer's idle timeout, so it never reuses a closed connection.
      keepAliveTimeout: 65_000,
      // A request (headers and body) gets 30 s to arrive, then a 408; Node checks every so often (30 s by default)
      // and refuses a headers limit above the request one. A shorter headers limit would not free connections
      // from slow clients: one that sends a quick GET may idle on keep-alive for 65 s. Capping them is the proxy's.
      headersTimeout: REQUEST_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: 2_000,
    },
    // Koa's handler settles every request itself (its own error handling included); nothing is left to await.
    (request, response) => void handleRequest(request, response),
  );
  // A client that sent `Expect: 100-continue` waits to be asked for its body. Node asks every one at once; here
  // the body parser asks once the request has passed what needs no body (route, rate limit, Content-Type,
  // declared length), so that a refused upload is never sent.
  server.on('checkContinue', (request, response) => void handleRequest(request, response));
  server.on('checkExpectation', (request, response) => {
    markUnmetExpectation(request);
    void handleRequest(request, response);
  });
  server.on('clientError', answerClientError(logger, container.get<HttpMetrics>(TYPES.Metrics)));
  // Per connection, not per request: at a stop, the answers already under way must close their connections too.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.listen(config.port, config.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await closeResources(container);
    throw listenProblem(error, config) ?? error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ port, host: config.host, database: config.databaseUrl === undefined ? 'embedded' : 'postgres' }, 'listening');

  let stopping: Promise<void> | undefined;
  /** Set while the drain is under way. */
  let finishDrain: (() => void) | undefined;
  const drain = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => finishDrain?.(), config.shutdownDrainMs);
      finishDrain = () => {
        clearTimeout(timer);
        finishDrain = undefined;
        resolve();
      };
    });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      readiness.beginShutdown();
      // Load balancers see /readyz fail and take the instance out while it still serves whatever they send.
      // Each answer closes its connection, so that none is left for a balancer to reuse when the drain ends.
      server.prependListener('request', (_request, response) => response.setHeader('Connection', 'close'));
      for (const socket of connections) {
        const answer = responseUnderWay(socket);
        if (answer?.headersSent === false) answer.setHeader('Connection', 'close');
      }
      if (config.shutdownDrainMs > 0) await drain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const graceOver = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([closed, graceOver]);
      server.closeAllConnections();
      await closeResources(container);
    })();
    return stopping;
  };
  return {
    server,
    port,
    stop,
    endDrain: () => {
      if (finishDrain === undefined) return false;
      finishDrain();
      return true;
    },
  };
};
