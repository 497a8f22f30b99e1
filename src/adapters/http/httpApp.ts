import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { StartSession } from '../../application/startSession.js';
import type { JsonWebKeySet } from '../token/signingKey.js';
import type { CookieSecurity } from './cookiePolicy.js';
import { errorMiddleware } from './errorMiddleware.js';
import type { GuestCookie } from './guestCookie.js';
import { jsonBody } from './jsonBody.js';
import { operationalRoutes } from './operationalRoutes.js';
import { rateLimit, type RateLimitOptions } from './rateLimit.js';
import type { ReadinessProbe } from './readiness.js';
import { requestContext } from './requestContext.js';
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
}

export const createHttpApp = (options: HttpAppOptions): Koa => {
  const app = new Koa({ proxy: options.trustedProxyHops > 0, maxIpsCount: options.trustedProxyHops });
  // Every error is answered by errorMiddleware; Koa's own printer would only duplicate it on stderr.
  app.silent = true;

  const livechat = new Router({ prefix: '/livechat' });
  livechat.post(
    '/session',
    rateLimit(options.rateLimit),
    jsonBody,
    startSessionHandler({
      startSession: options.startSession,
      guestCookie: options.guestCookie,
      cookieSecurity: options.cookieSecurity,
    }),
  );

  const operational = operationalRoutes(options.readiness, options.jwks);
  app.use(requestContext(options.logger));
  app.use(errorMiddleware(options.logger));
  for (const router of [livechat, operational]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
};
