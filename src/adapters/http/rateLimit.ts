import type { Context, Middleware } from 'koa';
import ratelimit from 'koa-ratelimit';
import type { Redis } from 'ioredis';
import { clientAddressOf, rateLimitKey } from './clientAddress.js';
import { RequestError } from './requestError.js';

export type RateLimitBackend = { readonly kind: 'redis'; readonly redis: Redis } | { readonly kind: 'memory' };

export interface RateLimitOptions {
  readonly backend: RateLimitBackend;
  readonly max: number;
  readonly windowMs: number;
  /** Key prefix in Redis, so that deployments (or test runs) sharing a Redis do not share counts by accident. */
  readonly namespace: string;
  /** Told of every backend failure, with the request's id; the request is then served anyway. */
  readonly onBackendFailure: (error: unknown, requestId: string | undefined) => void;
  /** Told of every request refused with 429. */
  readonly onLimited?: () => void;
}

/**
 * koa-ratelimit's memory driver keeps a key for every address it ever saw; this Map forgets windows that
 * ended, so a long-running instance does not grow without bound.
 */
class ExpiringWindows extends Map<string, { reset: number }> {
  constructor(windowMs: number) {
    super();
    setInterval(() => {
      const nowSeconds = Date.now() / 1000;
      for (const [key, window] of this) if (window.reset < nowSeconds) this.delete(key);
    }, windowMs).unref();
  }
}

/**
 * When the window frees a slot, in whole seconds rounded up so that retrying then is never too early. The memory
 * driver says it in fractional seconds; the Redis driver has already rounded it down to a whole second, so the
 * slot frees within the second after the one it names.
 */
const wholeSecondsReset = (ctx: Context, backend: RateLimitBackend['kind']): number => {
  const given = Number(ctx.response.get('X-RateLimit-Reset'));
  const resetSeconds = backend === 'redis' ? given + 1 : Math.ceil(given);
  if (Number.isFinite(resetSeconds)) ctx.set('X-RateLimit-Reset', String(resetSeconds));
  return resetSeconds;
};

/**
 * Per-client limit on starting sessions. Fails open: koa-ratelimit turns a Redis error into a 500, so a
 * failure before the request reaches the handler is reported and the request goes on unlimited.
 */
export const rateLimit = (options: RateLimitOptions): Middleware => {
  const { backend, max, windowMs, namespace, onBackendFailure, onLimited } = options;
  const limiter = ratelimit({
    driver: backend.kind,
    db: backend.kind === 'redis' ? backend.redis : new ExpiringWindows(windowMs),
    duration: windowMs,
    max,
    namespace,
    id: (ctx) => rateLimitKey(clientAddressOf(ctx)),
  });

  return async (ctx, next) => {
    let admitted = false;
    try {
      await limiter(ctx, async () => {
        admitted = true;
        wholeSecondsReset(ctx, backend.kind);
        await next();
      });
    } catch (error) {
      if (admitted) throw error;
      onBackendFailure(error, ctx.state.requestId as string | undefined);
      await next();
      return;
    }
    if (!admitted) {
      onLimited?.();
      // koa-ratelimit truncates the wait and can say 0; a client must be told to wait at least a second.
      const retryAfterSeconds = Math.max(1, Math.ceil(wholeSecondsReset(ctx, backend.kind) - Date.now() / 1000));
      throw new RequestError('rate_limited', { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
    }
  };
};
