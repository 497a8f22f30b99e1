import { Command, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { expectedFailure } from '../adapters/http/expectedFailure.js';

/** A Redis command that has not answered by then is abandoned and the limiter fails open. */
export const REDIS_COMMAND_TIMEOUT_MS = 100;
/** At most one reconnect a second for commands that timed out: a stalled Redis is not reconnected to in a loop. */
const RECONNECT_AFTER_TIMEOUT_INTERVAL_MS = 1_000;
// ioredis's own message for a command abandoned after `commandTimeout`.
const COMMAND_TIMED_OUT = 'Command timed out';
// A primary demoted to a replica by a failover (READONLY), or a Redis still loading its data (LOADING): the
// address may lead elsewhere by now, so a new connection is worth trying; the command itself is not repeated.
const WORTH_A_NEW_CONNECTION = /^(READONLY|LOADING) /;
// The SELECT of REDIS_URL's database failed: ioredis then stays connected to database 0, where the counts would
// mix with whatever else lives there.
const NO_SUCH_DATABASE = /^ERR (DB index is out of range|invalid DB index)/;

/** How long a connection suspected out of step has to echo a token of its own back before it is replaced. */
export const IN_STEP_WAIT_MS = 1_000;

/**
 * A command that timed out is still owed its reply: ioredis matches replies to commands in order, so if that reply
 * was lost (a network fault that drops bytes) every later reply would go to the command before it, and every
 * command would time out from then on, the limiter open for good. A new connection starts in step.
 *
 * Yet most timeouts lose nothing: a worker whose CPU is saturated reads a healthy Redis's reply after the command's
 * timer has fired, and the reply is matched to it all the same. Reconnecting then would fail every command for the
 * half second a new connection takes (the limiter open for all that while, which a flood from one address exploits),
 * so a timeout first asks: an ECHO of a token of its own that comes back as that token, in time, shows the
 * connection in step. Any other reply, or none, means it is not.
 */
class ResyncingRedis extends Redis {
  private lastResync = 0;
  private checkingStep = false;
  private checks = 0;

  constructor(
    url: string,
    options: RedisOptions,
    private readonly onResync: () => void,
  ) {
    super(url, options);
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const reject = command.reject;
    command.reject = (error) => {
      if (error.message !== COMMAND_TIMED_OUT) {
        reject(error);
        return;
      }
      // Timers run before the event loop reads its sockets: a reply that has arrived, waiting to be read, is read
      // before this runs, and is taken rather than counted as late.
      setImmediate(() => {
        if (command.isResolved) return;
        reject(error);
        this.checkInStep();
      });
    };
    return super.sendCommand(command, stream);
  }

  private checkInStep(): void {
    if (this.checkingStep || this.status !== 'ready') return;
    this.checkingStep = true;
    this.checks += 1;
    const token = `livechat-in-step-${process.pid}-${this.checks}`;
    let echoed: string | undefined;
    const echo = new Command('echo', [token]);
    const resolve = echo.resolve;
    // The raw reply, seen even when it comes after the ECHO's own timeout has rejected its promise.
    echo.resolve = (reply: unknown) => {
      echoed = String(reply);
      return resolve(reply);
    };
    // A connection replaced meanwhile (Redis went away) starts in step: only this one is in question.
    const connection = this.stream;
    this.sendCommand(echo);
    echo.promise.catch(() => undefined);
    setTimeout(() => {
      this.checkingStep = false;
      if (echoed !== token && this.stream === connection) this.resync();
    }, IN_STEP_WAIT_MS).unref();
  }

  private resync(): void {
    const now = Date.now();
    if (this.status !== 'ready' || now - this.lastResync < RECONNECT_AFTER_TIMEOUT_INTERVAL_MS) return;
    this.lastResync = now;
    this.onResync();
    this.disconnect(true);
  }
}

/**
 * Tuned for a fail-open limiter: no offline queue (a command while disconnected fails at once instead of
 * waiting for a reconnect), a hard command timeout, quiet, capped reconnects, and a new connection after a
 * command timed out or met a demoted primary.
 */
export const createRedis = (url: string, logger: Logger): Redis => {
  const redis = new ResyncingRedis(
    url,
    {
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      reconnectOnError: (error) => WORTH_A_NEW_CONNECTION.test(error.message),
    },
    () => logger.warn('a redis connection is out of step (a reply lost, or none within 1 s); reconnecting'),
  );
  // One line per kind of failure in an outage, not one per reconnect attempt: a Redis that drops every connection
  // fails each attempt in two ways by turns (EPIPE, then a write to the closed stream), every 2 s for as long as it lasts.
  const reportedKinds = new Set<string>();
  redis.on('error', (error: NodeJS.ErrnoException) => {
    if (NO_SUCH_DATABASE.test(error.message)) {
      logger.error(
        { err: expectedFailure(error) },
        "REDIS_URL names a database this Redis does not have; the rate limiter stays open until it is set right",
      );
      redis.disconnect(false);
      return;
    }
    const kind = error.code ?? error.message;
    if (reportedKinds.has(kind)) return;
    reportedKinds.add(kind);
    logger.warn({ err: expectedFailure(error) }, 'redis connection error; the rate limiter fails open until it is back');
  });
  redis.on('ready', () => {
    if (reportedKinds.size > 0) logger.info('redis connection restored');
    reportedKinds.clear();
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
