// The design card's stack doing only raw's irreducible work: Koa + @koa/router + koa-bodyparser, koa-ratelimit
// on ioredis, the insert through knex's client as one prepared statement (as the service sends it), and
// jsonwebtoken with a parsed KeyObject. No validation, logging, metrics, request ids or error mapping. It is the
// floor the fixed stack sets: raw → this is what the stack costs, this → the service is what the service adds.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import knex from 'knex';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import ratelimit from 'koa-ratelimit';
import { runClustered, settings } from './clustered.js';
import { INSERT_GUEST_SESSION, insertValues, sessionBody, sessionClaims, sessionCookies } from './session.js';

const config = settings();

const serve = async () => {
  const key = createPrivateKey(readFileSync(config.privateKeyFile, 'utf8'));
  const signOptions = { algorithm: 'RS256', keyid: 'bench' };
  const db = knex({ client: 'pg', connection: config.databaseUrl, pool: { min: 0, max: config.databasePoolMax } });
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  await new Promise((resolve) => redis.once('ready', resolve));

  const insert = async (bindings) => {
    const connection = await db.client.acquireConnection();
    try {
      await db.client.query(connection, { sql: INSERT_GUEST_SESSION, bindings, options: { name: 'bench_koa_insert' } });
    } finally {
      await db.client.releaseConnection(connection);
    }
  };

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.post(
    '/livechat/session',
    ratelimit({ driver: 'redis', db: redis, duration: config.rateLimitWindowMs, max: config.rateLimitMax, namespace: 'bench-koa', id: (ctx) => ctx.ip }),
    bodyParser({ enableTypes: ['json'] }),
    async (ctx) => {
      const { name, city, country } = ctx.request.body ?? {};
      if (typeof name !== 'string' || typeof city !== 'string' || typeof country !== 'string') {
        ctx.status = 422;
        ctx.body = { errors: { body: ['name, city and country are required'] } };
        return;
      }
      const sessionId = randomUUID();
      const userId = randomUUID();
      const now = Math.floor(Date.now() / 1000);
      const exp = now + config.sessionLifetimeSeconds;
      await insert(insertValues({ sessionId, userId, name, city, country, now, exp }));

      const token = jwt.sign(sessionClaims({ sessionId, userId, now, exp }), key, signOptions);
      ctx.append('Set-Cookie', sessionCookies({ name, city, country, userId }, config.cookieSecret));
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 201;
      ctx.body = sessionBody({ token, sessionId, userId, exp });
    },
  );

  const app = new Koa();
  app.use(router.routes());
  const server = app.listen(config.port, '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.once('listening', resolve));
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.allSettled([db.destroy(), redis.quit()]);
  };
};

runClustered(config.workers, serve);
