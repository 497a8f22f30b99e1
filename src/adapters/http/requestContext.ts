import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { statusAnsweredByParser } from './answeredByParser.js';
import type { HttpMetrics } from './httpMetrics.js';
import { closeAfterUnreadBody } from './unreadBody.js';

// A caller's id is echoed only when it is short and plain, so it cannot inject into headers or logs.
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The route of a request no route took (a 404, or a 417 refused before routing), in the metrics and the log alike,
 * so that one query finds it in both. No pattern can be mistaken for it: every pattern begins with a slash.
 */
export const UNMATCHED = 'unmatched';

type RoutedContext = Context & { _matchedRoute?: string; matched?: readonly { path: unknown; methods: readonly string[] }[] };

/**
 * The route pattern the request was served under; for a method the route does not take (405, or OPTIONS), the
 * pattern of the route its path matched, so that a wrong method is not taken for a scan of unknown paths. A
 * pattern, never the raw path: the metrics' label values stay bounded.
 */
const routeOf = (ctx: RoutedContext): string => {
  if (ctx._matchedRoute !== undefined) return ctx._matchedRoute;
  const path = ctx.matched?.find((layer) => layer.methods.length > 0)?.path;
  return typeof path === 'string' ? path : UNMATCHED;
};

/**
 * Outermost: gives every request an id and the headers every response carries, and logs one line per
 * request with no personal data (no body, no cookies, no query).
 */
export const requestContext = (logger: Logger, metrics: HttpMetrics): Middleware => {
  // The access line is built below from fixed fields that hold no personal data, so the logger's redaction
  // (a scan of every line for its censored paths, ~4 µs, more than writing the line) is left out for it.
  const accessLog = logger.child({}, { redact: [] });
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const offered = ctx.get('X-Request-Id');
    const requestId = SANE_REQUEST_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } finally {
      // Before the answer is written, so that it can still say `Connection: close`.
      if (!ctx.req.complete) closeAfterUnreadBody(ctx);
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeOf(ctx);
      const status = statusAnsweredByParser(ctx.res) ?? ctx.status;
      metrics.observeRequest(ctx.method, route, status, durationMs / 1000);
      accessLog.info(
        {
          requestId,
          method: ctx.method,
          route,
          status,
          durationMs: Math.round(durationMs * 1000) / 1000,
        },
        'request',
      );
    }
  };
};
