import Router from '@koa/router';
import type { Tracer } from '@opentelemetry/api';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { StartSession } from '../../application/startSession.js';
import type { JsonWebKeySet } from '../token/signingKey.js';
import { buildChatPage, type ChatClient } from './chatPage/chatPageAssets.js';
import { chatPageRoutes } from './chatPage/chatPageRoutes.js';
import type { CookieSecurity } from './cookiePolicy.js';
import { errorMiddleware } from './errorMiddleware.js';
import { forgetGuestHandler } from './guestController.js';
import type { GuestCookie } from './guestCookie.js';
import { NO_METRICS, type HttpMetrics } from './httpMetrics.js';
import { introspectionRoutes } from './introspectionRoutes.js';
import { jsonBody } from './jsonBody.js';
import { operationalRoutes } from './operationalRoutes.js';
import { rateLimit, type RateLimitOptions } from './rateLimit.js';
import type { ReadinessProbe } from './readiness.js';
import { requestContext } from './requestContext.js';
import { requestTracing } from './requestTracing.js';
import { startSessionHandler } from './sessionController.js';

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly startSession: StartSession;
  readonly guestCookie: GuestCookie;
  readonly cookieSecurity: CookieSecurity;
  readonly rateLimit: RateLimitOptions;
  readonly readiness: ReadinessProbe;
  readonly jwks: JsonWebKeySet;
  /** How many reverse proxies in front of us to believe about the client address (0: none). */
  readonly trustedProxyHops: number;
  /** Counters and histograms of the service; none are kept when absent. */
  readonly metrics?: HttpMetrics;
  /** Traces each request in a server span when given; absent, tracing costs nothing. */
  readonly tracer?: Tracer;
  /** Set: the chat page shows the hCaptcha widget with this (public) sitekey. */
  readonly captchaSitekey?: string | undefined;
  /** The chat client the page hands its session to; absent, none. */
  readonly chatClient?: ChatClient | undefined;
}

export const createHttpApp = (options: HttpAppOptions): Koa => {
  const metrics = options.metrics ?? NO_METRICS;
  const app = new Koa({ proxy: options.trustedProxyHops > 0, maxIpsCount: options.trustedProxyHops });
  // Every error is answered by errorMiddleware; Koa's own printer would only duplicate it on stderr.
  app.silent = true;

  const livechat = new Router({ prefix: '/livechat' });
  livechat.post(
    '/session',
    rateLimit({
      ...options.rateLimit,
      onLimited: () => metrics.rateLimited(),
      onBackendFailure: (error, requestId) => {
        metrics.rateLimitBackendFailed();
        options.rateLimit.onBackendFailure(error, requestId);
      },
    }),
    jsonBody,
    startSessionHandler({
      startSession: options.startSession,
      guestCookie: options.guestCookie,
      cookieSecurity: options.cookieSecurity,
      metrics,
    }),
  );
  // DELETE rather than GET or POST: no other site can make a browser send it (a form cannot, and a cross-origin
  // fetch needs a CORS preflight that this service never grants), so no page elsewhere can log a listener out.
  livechat.delete('/guest', forgetGuestHandler({ guestCookie: options.guestCookie, cookieSecurity: options.cookieSecurity }));

  const chatPage = chatPageRoutes(buildChatPage({ captchaSitekey: options.captchaSitekey, chatClient: options.chatClient }));
  const operational = operationalRoutes(options.readiness, options.jwks);
  app.use(requestContext(options.logger, metrics));
  if (options.tracer !== undefined) app.use(requestTracing(options.tracer));
  app.use(errorMiddleware(options.logger, metrics));
  for (const router of [livechat, chatPage, operational, introspectionRoutes(metrics)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
};
