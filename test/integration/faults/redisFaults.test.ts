import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import { createLogger } from '../../../src/infrastructure/logger.js';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { captureLogs } from '../../support/logCapture.js';
import { OwnRedis } from '../support/ownRedis.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const redisState = async (app: TestApp): Promise<string | undefined> =>
  ((await send(app.baseUrl, { path: '/readyz' })).json as { checks?: { redis?: string } }).checks?.redis;

describe('When Redis fails (a redis-server of the test’s own, on a spare port)', function () {
  this.timeout(30_000);
  let redis: OwnRedis;
  let app: TestApp;
  const logs = captureLogs((destination) => createLogger('warn', destination));

  before(async () => {
    redis = await OwnRedis.create();
    app = await startTestApp({ logger: logs.logger, env: { REDIS_URL: redis.url, RATE_LIMIT_MAX: '100' } });
  });

  after(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('still starts sessions (the limiter fails open), logs and counts each failure, and stays ready', async () => {
    const before = await postSession(app.baseUrl, aProfile().build());
    expect(before.status).to.equal(201);
    expect(before.headers['x-ratelimit-limit'], 'the limiter counted in Redis').to.equal('100');

    await redis.stop();
    const during = await postSession(app.baseUrl, aProfile().build());
    expect(during.status).to.equal(201);
    expect(during.headers['x-ratelimit-limit'], 'no limit was applied').to.equal(undefined);

    const readiness = await send(app.baseUrl, { path: '/readyz' });
    expect(readiness.status).to.equal(200);
    expect(readiness.json).to.deep.equal({ status: 'ready', checks: { database: 'up', redis: 'down' } });
    expect((await send(app.baseUrl, { path: '/metrics' })).text).to.match(/^livechat_rate_limit_backend_errors_total [1-9]/m);
    expect(logs.lines.map((line) => line.msg)).to.include('rate limiter backend failed; request let through');
  });

  it('limits again once Redis is back, without a restart', async () => {
    await redis.start();
    for (let attempt = 0; attempt < 40 && (await redisState(app)) !== 'up'; attempt += 1) await setTimeout(100);
    expect(await redisState(app)).to.equal('up');
    const after = await postSession(app.baseUrl, aProfile().build());
    expect(after.status).to.equal(201);
    expect(after.headers['x-ratelimit-limit']).to.equal('100');
  });
});
