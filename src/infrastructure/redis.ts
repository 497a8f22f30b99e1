import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { expectedFailure } from '../adapters/http/expectedFailure.js';

/** A Redis command that has not answered by then is abandoned and the limiter fails open. */
export const REDIS_COMMAND_TIMEOUT_MS = 100;

/**
 * Tuned for a fail-open limiter: no offline queue (a command while disconnected fails at once instead of
 * waiting for a reconnect), a hard command timeout, and quiet, capped reconnects.
 */
export const createRedis = (url: string, logger: Logger): Redis => {
  const redis = new Redis(url, {
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastReported = '';
  redis.on('error', (error: NodeJS.ErrnoException) => {
    // One line per kind of failure, not one per reconnect attempt.
    const kind = error.code ?? error.message;
    if (kind === lastReported) return;
    lastReported = kind;
    logger.warn({ err: expectedFailure(error) }, 'redis connection error; the rate limiter fails open until it is back');
  });
  redis.on('ready', () => {
    if (lastReported !== '') logger.info('redis connection restored');
    lastReported = '';
  });
  return redis;
};

/**
 * Waits, within a bound, for the first connection: without an offline queue, requests arriving before it
 * would all pass unlimited. A Redis that stays away delays the start by at most `timeoutMs`.
 */
export const waitUntilReady = (redis: Redis, timeoutMs: number): Promise<boolean> => {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once('ready', onReady);
  });
};
