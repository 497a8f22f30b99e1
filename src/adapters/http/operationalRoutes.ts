import Router from '@koa/router';
import type { JsonWebKeySet } from '../token/signingKey.js';
import type { ReadinessProbe } from './readiness.js';

/** Health, readiness and the public keys: routes for machines, not listeners. */
export const operationalRoutes = (readiness: ReadinessProbe, jwks: JsonWebKeySet): Router => {
  const router = new Router();
  const jwksBody = JSON.stringify(jwks);

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const report = await readiness.check();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = report.ready ? 200 : 503;
    ctx.body = { status: report.stopping ? 'stopping' : report.ready ? 'ready' : 'not_ready', checks: report.checks };
  });

  router.get('/.well-known/jwks.json', (ctx) => {
    // Verifiers may cache the keys for 5 minutes: a rotation publishes the next key (JWT_NEXT_PUBLIC_KEY) for
    // longer than that before it signs anything.
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = jwksBody;
  });

  return router;
};
