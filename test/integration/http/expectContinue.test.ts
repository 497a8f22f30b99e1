import { request as httpRequest } from 'node:http';
import { expect } from 'chai';
import { send } from '../../support/httpClient.js';
import { captureLogs } from '../../support/logCapture.js';
import { sample } from '../../support/prometheus.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

interface Answer {
  readonly status: number;
  /** Whether the server asked for the body (100 Continue) before it answered. */
  readonly askedForBody: boolean;
  readonly body: string;
}

/** A POST that sends its body only once the server asks for it, as curl does for a large upload. */
const postExpectingContinue = (baseUrl: string, headers: Record<string, string>, body: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const request = httpRequest(new URL('/livechat/session', baseUrl), {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Expect: '100-continue' },
    });
    let askedForBody = false;
    request.on('continue', () => {
      askedForBody = true;
      request.end(body);
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, askedForBody, body: Buffer.concat(chunks).toString('utf8') });
        request.destroy();
      });
    });
    request.on('error', reject);
    request.flushHeaders();
  });

describe('Expect: 100-continue: the body is asked for only when it will be read', () => {
  let app: TestApp;
  let limited: TestApp;
  const profile = JSON.stringify({ name: 'Budi', city: 'Solo', country: 'Indonesia' });

  before(async () => {
    app = await startTestApp();
    limited = await startTestApp({ env: { RATE_LIMIT_MAX: '1' } });
  });

  after(async () => {
    await app.stop();
    await limited.stop();
  });

  it('a valid request is asked for its body, then served', async () => {
    const answer = await postExpectingContinue(app.baseUrl, { 'Content-Type': 'application/json' }, profile);
    expect(answer).to.include({ status: 201, askedForBody: true });
    expect(JSON.parse(answer.body)).to.have.property('sessionToken');
  });

  it('a Content-Type that will be refused: 415 at once, the body never asked for', async () => {
    const answer = await postExpectingContinue(app.baseUrl, { 'Content-Type': 'text/plain' }, profile);
    expect(answer).to.include({ status: 415, askedForBody: false });
  });

  it('a body declared over 16 KiB: 413 at once, the body never asked for', async () => {
    const answer = await postExpectingContinue(app.baseUrl, { 'Content-Type': 'application/json' }, `{"name":"${'a'.repeat(20_000)}"}`);
    expect(answer).to.include({ status: 413, askedForBody: false });
    expect(JSON.parse(answer.body)).to.deep.equal({ errors: { body: ['Body permintaan melebihi batas 16 KiB.'] } });
  });

  it('a client over its rate limit: 429 at once, the body never asked for', async () => {
    expect((await postExpectingContinue(limited.baseUrl, { 'Content-Type': 'application/json' }, profile)).status).to.equal(201);
    const answer = await postExpectingContinue(limited.baseUrl, { 'Content-Type': 'application/json' }, profile);
    expect(answer).to.include({ status: 429, askedForBody: false });
  });
});

describe('Expect other than 100-continue: a 417 answered by the service, like every other error', () => {
  const logs = captureLogs();
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ logger: logs.logger });
  });

  after(async () => {
    await app.stop();
  });

  const counted417 = async (): Promise<number> => {
    const { text } = await send(app.baseUrl, { path: '/metrics' });
    return sample(text, 'livechat_http_request_duration_seconds_count{method="POST",route="unmatched",status="417"}') ?? 0;
  };

  it('417 with the error map in the request\'s language, the usual headers, an access line and a count', async () => {
    const before = await counted417();
    const answer = await send(app.baseUrl, {
      method: 'POST',
      path: '/livechat/session',
      headers: { Expect: 'foo', 'X-Request-Id': 'unmet-expectation' },
      body: {},
    });
    expect(answer.status).to.equal(417);
    expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(answer.headers['x-content-type-options']).to.equal('nosniff');
    expect(answer.headers['x-request-id']).to.equal('unmet-expectation');
    expect(answer.json).to.deep.equal({ errors: { body: ['Header Expect tidak dapat dipenuhi: hanya 100-continue yang didukung.'] } });
    expect(logs.lines.find((line) => line.requestId === 'unmet-expectation')).to.include({ msg: 'request', method: 'POST', status: 417 });
    expect(await counted417()).to.equal(before + 1);

    const english = await send(app.baseUrl, { method: 'POST', path: '/livechat/session', headers: { Expect: 'foo', 'Accept-Language': 'en' }, body: {} });
    expect(english.json).to.deep.equal({ errors: { body: ['The Expect header cannot be met: only 100-continue is supported.'] } });
  });

  it('refuses it before anything else: no session is started, whatever the path', async () => {
    const profile = { name: 'Budi', city: 'Solo', country: 'Indonesia' };
    const refused = await send(app.baseUrl, { method: 'POST', path: '/livechat/session', headers: { Expect: 'x-upload' }, body: profile });
    expect(refused.status).to.equal(417);
    expect(refused.setCookies).to.deep.equal([]);
    expect((await send(app.baseUrl, { path: '/healthz', headers: { Expect: 'foo' } })).status).to.equal(417);
  });
});
