import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Middleware } from 'koa';

/**
 * The server span of a request, active while the request is handled, so that the use case and adapter spans
 * become its children. Named by the matched route, never the raw path; carries no body, query or cookie.
 */
export const requestTracing =
  (tracer: Tracer): Middleware =>
  (ctx, next) =>
    tracer.startActiveSpan(ctx.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method } }, async (span) => {
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: string })._matchedRoute;
        if (route !== undefined) {
          span.updateName(`${ctx.method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', ctx.status);
        if (typeof ctx.state.requestId === 'string') span.setAttribute('request.id', ctx.state.requestId);
        if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
