// The floor: node:http + pg + ioredis + node:crypto doing only the endpoint's irreducible work — parse the
// JSON body, one Redis round trip for the rate limit (INCR, PEXPIRE on the first hit), one INSERT statement
// that stores what the endpoint must store (a guest and its session, in the service's own tables), one RS256
// signature — and answering with the same body and Set-Cookie headers as the service. No framework, no
// validation library, no logging.
import { Buffer } from 'node:buffer';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';
import { runClustered, settings } from './clustered.js';
import { INSERT_GUEST_SESSION, insertValues, sessionBody, sessionClaims, sessionCookies } from './session.js';

const config = settings();

const LIMIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

const base64url = (text) => Buffer.from(text).toString('base64url');

const serve = async () => {
  const key = createPrivateKey(readFileSync(config.privateKeyFile, 'utf8'));
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'bench' }));
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.databasePoolMax });
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  redis.defineCommand('hit', { numberOfKeys: 1, lua: LIMIT });
  await new Promise((resolve) => redis.once('ready', resolve));

  const answer = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const startSession = async (req, res, raw) => {
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, 400, { errors: { body: ['malformed JSON'] } });
    }
    const { name, city, country } = body ?? {};
    if (typeof name !== 'string' || typeof city !== 'string' || typeof country !== 'string') {
      return answer(res, 422, { errors: { body: ['name, city and country are required'] } });
    }
    const hits = await redis.hit(`bench-raw:${req.socket.remoteAddress}`, config.rateLimitWindowMs);
    if (hits > config.rateLimitMax) return answer(res, 429, { errors: { body: ['too many requests'] } }, { 'retry-after': '60' });

    const sessionId = randomUUID();
    const userId = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const exp = now + config.sessionLifetimeSeconds;
    await pool.query({ name: 'bench_raw_insert', text: INSERT_GUEST_SESSION, values: insertValues({ sessionId, userId, name, city, country, now, exp }) });

    const signingInput = `${header}.${base64url(JSON.stringify(sessionClaims({ sessionId, userId, now, exp })))}`;
    const token = `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
    answer(res, 201, sessionBody({ token, sessionId, userId, exp }), {
      'cache-control': 'no-store',
      'set-cookie': sessionCookies({ name, city, country, userId }, config.cookieSecret),
    });
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') return answer(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || req.url !== '/livechat/session') return answer(res, 404, { errors: { body: ['not found'] } });
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      startSession(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => answer(res, 500, { errors: { body: ['internal'] } }));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await Promise.allSettled([pool.end(), redis.quit()]);
  };
};

runClustered(config.workers, serve);
