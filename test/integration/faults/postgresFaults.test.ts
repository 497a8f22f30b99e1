import { setTimeout } from 'node:timers/promises';
import { expect } from 'chai';
import knex from 'knex';
import { createLogger } from '../../../src/infrastructure/logger.js';
import { postSession, send, type TestResponse } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { captureLogs } from '../../support/logCapture.js';
import { OwnPostgres } from '../support/ownPostgres.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testDatabaseUrl } from '../support/testServices.js';

interface ErrorMap {
  errors: Record<string, string[]>;
}

const expectStoreUnavailable = (response: TestResponse): void => {
  expect(response.status).to.equal(503);
  expect(response.headers['retry-after']).to.equal('5');
  expect((response.json as ErrorMap).errors.body).to.deep.equal(['Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.']);
  expect(response.text).to.not.match(/ECONNREFUSED|select|insert|at .*\.ts/i);
};

describe('When PostgreSQL fails (a cluster of the test’s own, on a spare port)', function () {
  // initdb and starting a cluster take a few seconds on a busy machine; no assertion depends on time.
  this.timeout(60_000);
  let postgres: OwnPostgres;
  let app: TestApp;
  const logs = captureLogs((destination) => createLogger('warn', destination));

  before(async () => {
    postgres = await OwnPostgres.create();
    app = await startTestApp({ logger: logs.logger, env: { DATABASE_URL: postgres.url, MIGRATE_ON_START: 'true' } });
  });

  after(async () => {
    await app?.stop();
    await postgres?.destroy();
  });

  it('answers 503 with an errors map and Retry-After while it is down, /readyz 503, and recovers without a restart', async () => {
    expect((await postSession(app.baseUrl, aProfile().build())).status).to.equal(201);

    await postgres.stop();
    expectStoreUnavailable(await postSession(app.baseUrl, aProfile().build()));
    const notReady = await send(app.baseUrl, { path: '/readyz' });
    expect(notReady.status).to.equal(503);
    expect(notReady.json).to.deep.include({ status: 'not_ready', checks: { database: 'down', redis: 'up' } });
    expect((await send(app.baseUrl, { path: '/healthz' })).status, 'liveness checks no dependency').to.equal(200);
    expect((await send(app.baseUrl, { path: '/metrics' })).text).to.match(/^livechat_database_errors_total [1-9]/m);

    await postgres.start();
    // The first request may meet a pooled connection the restart killed; the pool replaces it. Bounded retries.
    let recovered: TestResponse | undefined;
    for (let attempt = 0; attempt < 20 && recovered?.status !== 201; attempt += 1) {
      recovered = await postSession(app.baseUrl, aProfile().build());
      if (recovered.status !== 201) await setTimeout(250);
    }
    expect(recovered?.status).to.equal(201);
    expect((await send(app.baseUrl, { path: '/readyz' })).status).to.equal(200);
  });

  it('cuts off a statement stuck behind a lock with the statement timeout: 503, not a hang', async () => {
    const locker = knex({ client: 'pg', connection: postgres.url });
    const logged = logs.lines.length;
    try {
      await locker.transaction(async (trx) => {
        await trx.raw('lock table sessions in access exclusive mode');
        expectStoreUnavailable(await postSession(app.baseUrl, aProfile().build()));
      });
    } finally {
      await locker.destroy();
    }
    // The client's own query timeout (3 s) would also give a 503; the log tells which bound cut it off.
    // pino's err serializer joins the messages of the cause chain: StoreUnavailable's, then PostgreSQL's.
    const unavailable = logs.lines.slice(logged).filter((line) => line.msg === 'session store unavailable');
    expect(unavailable).to.have.length(1);
    expect(unavailable[0]?.err).to.include({ type: 'StoreUnavailable' });
    expect((unavailable[0]?.err as { message?: string } | undefined)?.message).to.match(/canceling statement due to statement timeout/);
    expect(unavailable[0]?.err, 'an expected failure is logged without a stack').to.not.have.property('stack');
    expect((await postSession(app.baseUrl, aProfile().build())).status).to.equal(201);
  });
});

describe('When PostgreSQL refuses the login', () => {
  const refusedUrls = {
    'a database that does not exist': () => Object.assign(new URL(testDatabaseUrl()), { pathname: '/livechat_no_such_database' }).href,
    'a role that does not exist': () => Object.assign(new URL(testDatabaseUrl()), { username: 'livechat_no_such_role' }).href,
  };
  for (const [what, url] of Object.entries(refusedUrls)) {
    it(`answers 503 with Retry-After, not 500, for ${what}, and counts a database error`, async () => {
      const app = await startTestApp({ env: { DATABASE_URL: url() } });
      try {
        expectStoreUnavailable(await postSession(app.baseUrl, aProfile().build()));
        expect((await send(app.baseUrl, { path: '/readyz' })).status).to.equal(503);
        expect((await send(app.baseUrl, { path: '/metrics' })).text).to.match(/^livechat_database_errors_total 1$/m);
      } finally {
        await app.stop();
      }
    });
  }
});
