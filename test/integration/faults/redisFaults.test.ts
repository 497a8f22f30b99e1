import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createLogger } from '../../../src/infrastructure/logger.js';
import { createRedis, IN_STEP_WAIT_MS, REDIS_COMMAND_TIMEOUT_MS, waitUntilReady } from '../../../src/infrastructure/redis.js';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { captureLogs, type CapturedLogs } from '../../support/logCapture.js';
import { OwnRedis } from '../support/ownRedis.js';
import { RedisProxy } from '../support/redisProxy.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const redisState = async (app: TestApp): Promise<string | undefined> =>
  ((await send(app.baseUrl, { path: '/readyz' })).json as { checks?: { redis?: string } }).checks?.redis;

const BACKEND_FAILED = 'rate limiter backend failed; request let through';
const OUT_OF_STEP = 'a redis connection is out of step (a reply lost, or none within 1 s); reconnecting';

describe('When Redis fails (a redis-server of the test’s own, on a spare port)', function () {
  this.timeout(30_000);
  // Each test its own Redis and its own instance: no test relies on the state another one left.
  let redis: OwnRedis;
  let app: TestApp | undefined;
  let logs: CapturedLogs;

  beforeEach(async () => {
    redis = await OwnRedis.create();
    logs = captureLogs((destination) => createLogger('warn', destination));
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await redis?.stop();
  });

  const startApp = async (max: number): Promise<TestApp> => {
    app = await startTestApp({ logger: logs.logger, env: { REDIS_URL: redis.url, RATE_LIMIT_MAX: String(max) } });
    return app;
  };

  it('still starts sessions (the limiter fails open), logs and counts each failure, and stays ready', async () => {
    const app = await startApp(100);
    const before = await postSession(app.baseUrl, aProfile().build());
    expect(before.status).to.equal(201);
    expect(before.headers['x-ratelimit-limit'], 'the limiter counted in Redis').to.equal('100');
    expect(logs.lines.filter((line) => line.msg === BACKEND_FAILED), 'no failure while Redis is up').to.have.length(0);

    await redis.stop();
    const during = await postSession(app.baseUrl, aProfile().build());
    expect(during.status).to.equal(201);
    expect(during.headers['x-ratelimit-limit'], 'no limit was applied').to.equal(undefined);

    const readiness = await send(app.baseUrl, { path: '/readyz' });
    expect(readiness.status).to.equal(200);
    expect(readiness.json).to.deep.equal({ status: 'ready', checks: { database: 'up', redis: 'down' } });
    // One request met the outage: exactly one failure logged and counted.
    expect((await send(app.baseUrl, { path: '/metrics' })).text).to.match(/^livechat_rate_limit_backend_errors_total 1$/m);
    expect(logs.lines.filter((line) => line.msg === BACKEND_FAILED)).to.have.length(1);
  });

  it('reports Redis down while it is stalled (connected but answering nothing), in time, and up once it answers again', async () => {
    const app = await startApp(100);
    expect(await redisState(app)).to.equal('up');

    redis.pause();
    // A probe with Kubernetes' default 1 s timeout gets its answer: the ping gives up after the command timeout.
    const readiness = await send(app.baseUrl, { path: '/readyz', timeoutMs: 1_000 });
    expect(readiness.status, 'Redis never decides readiness').to.equal(200);
    expect(readiness.json).to.deep.equal({ status: 'ready', checks: { database: 'up', redis: 'down' } });
    const during = await postSession(app.baseUrl, aProfile().build());
    expect(during.status).to.equal(201);
    expect(during.headers['x-ratelimit-limit'], 'no limit was applied').to.equal(undefined);

    redis.resume();
    for (let attempt = 0; attempt < 40 && (await redisState(app)) !== 'up'; attempt += 1) await setTimeout(100);
    expect(await redisState(app)).to.equal('up');
  });

  describe('over a connection that goes wrong while Redis itself is well', () => {
    let proxy: RedisProxy | undefined;

    afterEach(async () => {
      await app?.stop();
      app = undefined;
      await proxy?.stop();
      proxy = undefined;
    });

    const startAppThrough = async (through: RedisProxy, max: number): Promise<TestApp> => {
      app = await startTestApp({ logger: logs.logger, env: { REDIS_URL: through.url, RATE_LIMIT_MAX: String(max) } });
      return app;
    };

    it("gets back in step after Redis's replies were lost (a network fault), and limits again without a restart", async () => {
      proxy = await RedisProxy.start(redis.port);
      const app = await startAppThrough(proxy, 2);
      expect((await postSession(app.baseUrl, aProfile().build())).headers['x-ratelimit-limit']).to.equal('2');

      proxy.loseReplies();
      for (let i = 0; i < 2; i += 1) expect((await postSession(app.baseUrl, aProfile().build())).status, 'let through').to.equal(201);
      proxy.passReplies();

      for (let attempt = 0; attempt < 40 && (await redisState(app)) !== 'up'; attempt += 1) await setTimeout(100);
      expect(await redisState(app), 'replies matched to their commands again').to.equal('up');
      expect(logs.lines.map((line) => line.msg), 'the connection was replaced').to.include(OUT_OF_STEP);
      // Redis counted the two requests whose replies were lost: the client is over its limit.
      expect((await postSession(app.baseUrl, aProfile().build())).status).to.equal(429);
    });

    it('reconnects when Redis answers READONLY (a failover gave the address to the new primary), and limits there', async () => {
      const promoted = await OwnRedis.create();
      try {
        proxy = await RedisProxy.start(redis.port);
        const app = await startAppThrough(proxy, 1);
        expect((await postSession(app.baseUrl, aProfile().build())).status, 'counted on the old primary').to.equal(201);

        // The old primary becomes a replica of the new one, and the address leads to the new one.
        const admin = new Redis(redis.url);
        await admin.replicaof('127.0.0.1', promoted.port);
        await admin.quit();
        proxy.retarget(promoted.port);

        expect((await postSession(app.baseUrl, aProfile().build())).status, 'READONLY: let through').to.equal(201);
        for (let attempt = 0; attempt < 40 && (await redisState(app)) !== 'up'; attempt += 1) await setTimeout(100);
        const counted = await postSession(app.baseUrl, aProfile().build());
        expect(counted.status).to.equal(201);
        expect(counted.headers['x-ratelimit-limit'], 'counted on the new primary').to.equal('1');
        expect((await postSession(app.baseUrl, aProfile().build())).status).to.equal(429);
      } finally {
        await promoted.stop();
      }
    });
  });

  it('with a REDIS_URL database that Redis does not have: counts nothing in database 0, says so, and reports Redis down', async () => {
    app = await startTestApp({
      logger: logs.logger,
      rateLimitNamespace: 'wrong-database',
      env: { REDIS_URL: `${redis.url}/99`, RATE_LIMIT_MAX: '100' },
    });
    const response = await postSession(app.baseUrl, aProfile().build());
    expect(response.status).to.equal(201);
    expect(response.headers['x-ratelimit-limit'], 'no limit was applied').to.equal(undefined);
    expect(await redisState(app)).to.equal('down');
    const databaseZero = new Redis(redis.url);
    try {
      expect(await databaseZero.keys('*'), 'nothing counted where it does not belong').to.deep.equal([]);
    } finally {
      databaseZero.disconnect();
    }
    expect(logs.lines.map((line) => line.msg)).to.include(
      'REDIS_URL names a database this Redis does not have; the rate limiter stays open until it is set right',
    );
  });

  describe('a reply that is late, not lost (a connection of its own)', () => {
    let client: Redis | undefined;
    let closed = 0;

    const connect = async (): Promise<Redis> => {
      client = createRedis(redis.url, logs.logger);
      expect(await waitUntilReady(client, 2_000)).to.equal(true);
      closed = 0;
      client.on('close', () => (closed += 1));
      return client;
    };

    afterEach(() => {
      client?.disconnect();
      client = undefined;
    });

    it('takes a reply that came in time but waits to be read (a saturated CPU), rather than time the command out', async () => {
      const redisClient = await connect();
      const late = redisClient.ping();
      // The reply comes at once but waits in the socket while the event loop is busy: the timer is due first.
      const until = Date.now() + 3 * REDIS_COMMAND_TIMEOUT_MS;
      while (Date.now() < until) closed += 0;
      expect(await late).to.equal('PONG');
    });

    it('keeps a connection whose reply came after the timeout (Redis stalled briefly), rather than fail every command while it reconnects', async () => {
      const redisClient = await connect();
      redis.pause();
      try {
        const late = redisClient.ping();
        await late.then(
          () => expect.fail('the command was expected to time out'),
          (error: Error) => expect(error.message).to.equal('Command timed out'),
        );
      } finally {
        redis.resume();
      }
      await setTimeout(IN_STEP_WAIT_MS + 500);
      expect(closed, 'the connection was kept').to.equal(0);
      expect(logs.lines.map((line) => line.msg)).to.not.include(OUT_OF_STEP);
      expect(await redisClient.ping()).to.equal('PONG');
    });
  });

  it('logs an outage once per kind of failure, however long it lasts and however its failures alternate', async () => {
    // A server that drops every connection at once: each reconnect attempt fails twice, in two ways by turns.
    const dropper = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const client = createRedis(`redis://127.0.0.1:${(dropper.address() as net.AddressInfo).port}`, logs.logger);
    try {
      await setTimeout(3_000);
    } finally {
      client.disconnect();
      await new Promise((resolve) => dropper.close(resolve));
    }
    const kinds = logs.lines
      .filter((line) => line.msg === 'redis connection error; the rate limiter fails open until it is back')
      .map((line) => { const err = line.err as { code?: string; message?: string }; return err.code ?? err.message; });
    expect(kinds.length, 'several attempts failed, each at least once').to.be.greaterThan(0);
    expect(kinds, 'no kind twice').to.deep.equal([...new Set(kinds)]);
  });

  it('limits again once Redis is back, without a restart', async () => {
    const app = await startApp(1);
    const statuses = async (count: number): Promise<{ status: number; limit: string | undefined }[]> => {
      const responses: { status: number; limit: string | undefined }[] = [];
      for (let i = 0; i < count; i += 1) {
        const response = await postSession(app.baseUrl, aProfile().build());
        responses.push({ status: response.status, limit: response.headers['x-ratelimit-limit'] as string | undefined });
      }
      return responses;
    };
    expect(await statuses(2), 'limited while Redis is up').to.deep.equal([
      { status: 201, limit: '1' },
      { status: 429, limit: '1' },
    ]);

    await redis.stop();
    expect(await statuses(2), 'beyond the limit, unlimited, while Redis is down').to.deep.equal([
      { status: 201, limit: undefined },
      { status: 201, limit: undefined },
    ]);

    await redis.start();
    for (let attempt = 0; attempt < 40 && (await redisState(app)) !== 'up'; attempt += 1) await setTimeout(100);
    expect(await redisState(app)).to.equal('up');
    const after = await postSession(app.baseUrl, aProfile().build());
    expect(after.status).to.equal(201);
    expect(after.headers['x-ratelimit-limit']).to.equal('1');
    // The restarted Redis kept no counts (no persistence): a fresh window, limited again.
    expect((await postSession(app.baseUrl, aProfile().build())).status, 'limited again').to.equal(429);
  });
});
