import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { postSession, type TestResponse } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { captureLogs } from '../../support/logCapture.js';
import { freePort } from '../../support/freePort.js';
import { createLogger } from '../../../src/infrastructure/logger.js';
import { TYPES } from '../../../src/infrastructure/types.js';
import { startSilentServer } from '../support/silentServer.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const MAX = 3;

describe('rate limit on POST /livechat/session (Redis)', () => {
  const apps: TestApp[] = [];
  const start = async (...args: Parameters<typeof startTestApp>): Promise<TestApp> => {
    const app = await startTestApp(...args);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.stop()));
  });

  const burst = async (count: number, send: () => Promise<TestResponse>): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) statuses.push((await send()).status);
    return statuses;
  };
  /** `count` requests in a row, the nth (from 1) with `X-Forwarded-For: forwardedFor(n)`. */
  const forwardedBurst = (app: TestApp, count: number, forwardedFor: (n: number) => string): Promise<number[]> => {
    let n = 0;
    return burst(count, () => {
      n += 1;
      return postSession(app.baseUrl, aProfile().build(), { headers: { 'x-forwarded-for': forwardedFor(n) } });
    });
  };

  it('refuses the (N+1)th request in a window with 429, Retry-After and an errors map, and writes nothing', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX) } });
    expect(await burst(MAX, () => postSession(app.baseUrl, aProfile().build()))).to.deep.equal([201, 201, 201]);

    // A name no other request of any test uses, to find whatever the refused request might have stored.
    const refusedName = `Refused ${randomInt(1e9, 1e10)}`;
    const refused = await postSession(app.baseUrl, aProfile().withName(refusedName).build(), { headers: { 'accept-language': 'en' } });
    expect(refused.status).to.equal(429);
    const retryAfter = Number(refused.headers['retry-after']);
    // The window (60 s) and the second the Redis driver's rounding down costs.
    expect(retryAfter).to.be.within(1, 61);
    expect(refused.headers['x-ratelimit-limit']).to.equal(String(MAX));
    expect(refused.headers['x-ratelimit-remaining']).to.equal('0');
    expect(refused.headers['x-ratelimit-reset']).to.match(/^\d+$/);
    const wait = retryAfter === 1 ? '1 second' : `${retryAfter} seconds`;
    expect(refused.json).to.deep.equal({ errors: { body: [`Too many requests. Try again in ${wait}.`] } });
    expect(refused.setCookies).to.deep.equal([]);
    expect(refused.text).to.not.include('sessionToken');
    const database = app.container.get<Knex>(TYPES.Database);
    expect(await database('sessions').where({ name: refusedName }).select('id'), 'no session row for the refused request').to.deep.equal([]);
  });

  it('never tells a refused client to come back before its window frees a slot', async () => {
    const namespace = `test:reset:${randomUUID()}`;
    const windowMs = 60_000;
    const app = await start({ env: { RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_MS: String(windowMs) }, rateLimitNamespace: namespace });
    const fromClient = { localAddress: '127.0.0.4' };
    expect((await postSession(app.baseUrl, aProfile().build(), fromClient)).status).to.equal(201);

    const refused = await postSession(app.baseUrl, aProfile().build(), fromClient);
    const receivedAt = Date.now();

    expect(refused.status).to.equal(429);
    // The limiter keeps each admitted request under the moment (ms) it counted it; its slot frees a window later.
    const [, countedAt] = await app.container.get<Redis>(TYPES.Redis).zrange(`${namespace}:127.0.0.4`, 0, 0, 'WITHSCORES');
    const freesAt = Number(countedAt) + windowMs;
    expect(Number(refused.headers['x-ratelimit-reset']) * 1000).to.be.at.least(freesAt).and.below(freesAt + 1000);
    expect(receivedAt + Number(refused.headers['retry-after']) * 1000).to.be.at.least(freesAt);
  });

  it('counts other client addresses separately', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX) } });
    const limited = await burst(MAX + 1, () => postSession(app.baseUrl, aProfile().build(), { localAddress: '127.0.0.2' }));
    expect(limited).to.deep.equal([201, 201, 201, 429]);
    const other = await postSession(app.baseUrl, aProfile().build(), { localAddress: '127.0.0.3' });
    expect(other.status).to.equal(201);
  });

  it('gives a forged X-Forwarded-For no fresh quota when no proxy is trusted', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX) } });
    const statuses = await forwardedBurst(app, MAX + 2, (n) => `198.51.100.${n}`);
    expect(statuses).to.deep.equal([201, 201, 201, 429, 429]);
  });

  it('with TRUST_PROXY=1, counts the address the proxy appended, not what the client prepended', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX), TRUST_PROXY: '1' } });
    const spoofing = await forwardedBurst(app, MAX + 1, (n) => `10.9.9.${n}, 203.0.113.10`);
    expect(spoofing).to.deep.equal([201, 201, 201, 429]);
    const anotherClient = await postSession(app.baseUrl, aProfile().build(), { headers: { 'x-forwarded-for': '203.0.113.11' } });
    expect(anotherClient.status).to.equal(201);
  });

  it('with TRUST_PROXY=1, counts a client whose proxy appends the port as one client, whatever the port', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX), TRUST_PROXY: '1' } });
    const statuses = await forwardedBurst(app, MAX + 1, (n) => `203.0.113.12:${40000 + n}`);
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
    const sameSubnet = await postSession(app.baseUrl, aProfile().build(), { headers: { 'x-forwarded-for': '[2001:db8:77::1]:443' } });
    const sameSlash64 = await forwardedBurst(app, MAX, (n) => `[2001:db8:77::${(40010 + n).toString(16)}]:${40010 + n}`);
    expect([sameSubnet.status, ...sameSlash64]).to.deep.equal([201, 201, 201, 429]);
  });

  it('with TRUST_PROXY=1, counts a forwarded value that is not an address as the proxy\'s own address, not as a key of its own', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX), TRUST_PROXY: '1' } });
    const statuses = await forwardedBurst(app, MAX + 1, (n) => `not-an-address-${n}`);
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
    const fromTheProxyItself = await postSession(app.baseUrl, aProfile().build());
    expect(fromTheProxyItself.status).to.equal(429);
  });

  it('with TRUST_PROXY=1, counts an IPv6 address by its /64 whatever zone id is appended to it', async () => {
    const app = await start({ env: { RATE_LIMIT_MAX: String(MAX), TRUST_PROXY: '1' } });
    const statuses = await forwardedBurst(app, MAX + 1, (n) => (n % 2 === 0 ? `2001:db8:99::1%zone-${n}` : `[2001:db8:99::1%x.${n}]:443`));
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
  });

  it('shares one count between two instances on one Redis', async () => {
    const namespace = `test:shared:${Date.now()}`;
    const first = await start({ env: { RATE_LIMIT_MAX: String(MAX) }, rateLimitNamespace: namespace });
    const second = await start({ env: { RATE_LIMIT_MAX: String(MAX) }, rateLimitNamespace: namespace });
    const statuses = [
      (await postSession(first.baseUrl, aProfile().build())).status,
      (await postSession(second.baseUrl, aProfile().build())).status,
      (await postSession(first.baseUrl, aProfile().build())).status,
      (await postSession(second.baseUrl, aProfile().build())).status,
      (await postSession(first.baseUrl, aProfile().build())).status,
    ];
    expect(statuses).to.deep.equal([201, 201, 201, 429, 429]);
  });

  describe('fails open', () => {
    it('serves sessions when Redis is down, and logs each failure', async () => {
      const port = await freePort();

      const logs = captureLogs((destination) => createLogger('warn', destination));
      const app = await start({ env: { RATE_LIMIT_MAX: '1', REDIS_URL: `redis://127.0.0.1:${port}` }, logger: logs.logger });
      const responses = [];
      for (let i = 0; i < 3; i += 1) responses.push(await postSession(app.baseUrl, aProfile().build()));
      expect(responses.map((response) => response.status)).to.deep.equal([201, 201, 201]);
      const failures = logs.lines.filter((line) => line.msg === 'rate limiter backend failed; request let through');
      expect(failures.map((line) => line.requestId), 'each failure names its request').to.deep.equal(
        responses.map((response) => response.headers['x-request-id']),
      );
      // An expected failure, logged on every request while Redis is down: what failed, not where in the code.
      for (const failure of failures) {
        expect(failure.err).to.have.property('message').that.is.a('string').and.not.empty;
        expect(failure.err).to.not.have.property('stack');
      }
    });

    it('serves sessions when Redis accepts connections but never answers', async () => {
      const silent = await startSilentServer();
      try {
        const logs = captureLogs((destination) => createLogger('warn', destination));
        const app = await start({ env: { RATE_LIMIT_MAX: '1', REDIS_URL: `redis://127.0.0.1:${silent.port}` }, logger: logs.logger });
        expect(await burst(2, () => postSession(app.baseUrl, aProfile().build()))).to.deep.equal([201, 201]);
        expect(logs.lines.filter((line) => line.msg === 'rate limiter backend failed; request let through')).to.have.length(2);
        expect(silent.connectionsAccepted, 'the service really connected to the silent server').to.be.greaterThan(0);
      } finally {
        await silent.close();
      }
    });
  });
});
