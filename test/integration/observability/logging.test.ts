import { expect } from 'chai';
import { createLogger } from '../../../src/infrastructure/logger.js';
import { postSession, send } from '../../support/httpClient.js';
import { captureLogs, type CapturedLogs } from '../../support/logCapture.js';
import { freePort } from '../../support/freePort.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

// Values that appear nowhere else, so that finding one in a log line can only mean it leaked.
const NAME = 'Zebulonius Quartermaine';
const CITY = 'Xylocastra';
const COUNTRY = 'Vorlandia';
const COOKIE_VALUE = 'cookieSecretValueQzx91';

describe('Request logs (production logger and redaction)', () => {
  let logs: CapturedLogs;
  let app: TestApp;

  before(async () => {
    logs = captureLogs((destination) => createLogger('trace', destination));
    app = await startTestApp({ logger: logs.logger });
  });

  after(async () => {
    await app.stop();
  });

  it('writes one JSON line per request with its id, route, status and duration, and no personal data, token or cookie', async () => {
    const created = await postSession(
      app.baseUrl,
      { name: NAME, city: CITY, country: COUNTRY },
      { headers: { 'x-request-id': 'log-test-201', cookie: `livechat_name=${COOKIE_VALUE}; livechat_guest=${COOKIE_VALUE}.sig` } },
    );
    expect(created.status).to.equal(201);
    const { sessionToken } = created.json as { sessionToken: string };
    const guestCookie = created.setCookies.find((cookie) => cookie.startsWith('livechat_guest='))!.split(';')[0]!.split('=')[1]!;

    const invalid = await postSession(app.baseUrl, { name: `${NAME}<`, city: `${CITY}1`, country: COUNTRY }, {
      headers: { 'x-request-id': 'log-test-422' },
    });
    expect(invalid.status).to.equal(422);
    const malformed = await postSession(app.baseUrl, `{"name": "${NAME}", "city": `, { headers: { 'x-request-id': 'log-test-400' } });
    expect(malformed.status).to.equal(400);
    expect((await send(app.baseUrl, { path: `/livechat/${encodeURIComponent(CITY)}` })).status).to.equal(404);
    const forgotten = await send(app.baseUrl, {
      method: 'DELETE',
      path: '/livechat/guest',
      headers: { 'x-request-id': 'log-test-204', cookie: `livechat_name=${COOKIE_VALUE}; livechat_guest=${guestCookie}` },
    });
    expect(forgotten.status).to.equal(204);

    const requestLines = logs.lines.filter((line) => line.msg === 'request');
    const line201 = requestLines.filter((line) => line.requestId === 'log-test-201');
    expect(line201).to.have.length(1);
    expect(line201[0]).to.include({ method: 'POST', route: '/livechat/session', status: 201, service: 'livechat-session' });
    expect(line201[0]!.durationMs).to.be.a('number');
    expect(requestLines.find((line) => line.requestId === 'log-test-422')).to.include({ status: 422 });
    expect(requestLines.find((line) => line.requestId === 'log-test-400')).to.include({ status: 400 });
    expect(requestLines.find((line) => line.requestId === 'log-test-204')).to.include({ method: 'DELETE', route: '/livechat/guest', status: 204 });

    const secrets = [NAME, 'Zebulonius', 'Quartermaine', CITY, COUNTRY, COOKIE_VALUE, sessionToken, ...sessionToken.split('.'), guestCookie];
    expect(logs.raw.length).to.be.greaterThan(3);
    for (const line of logs.raw) {
      for (const secret of secrets) expect(line, `a log line leaks ${secret.slice(0, 12)}…`).to.not.include(secret);
    }
  });

  it('logs a database outage without the request’s personal data', async () => {
    const closedPort = await freePort();
    const outage = captureLogs((destination) => createLogger('trace', destination));
    const broken = await startTestApp({
      logger: outage.logger,
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/none` },
    });
    try {
      const response = await postSession(broken.baseUrl, { name: NAME, city: CITY, country: COUNTRY });
      expect(response.status).to.equal(503);
    } finally {
      await broken.stop();
    }
    expect(outage.lines.map((line) => line.msg)).to.include('session store unavailable');
    for (const line of outage.raw) for (const secret of [NAME, CITY, COUNTRY]) expect(line).to.not.include(secret);
  });
});
