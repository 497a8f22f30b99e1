import { expect } from 'chai';
import { aProfile } from '../../support/builders.js';
import { postSession, send } from '../../support/httpClient.js';
import { captureLogs } from '../../support/logCapture.js';
import { sample } from '../../support/prometheus.js';
import { sendRawHttp, type RawAnswer } from '../../support/rawHttp.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const sendRaw = async (baseUrl: string, request: string): Promise<RawAnswer> => {
  const answers = await sendRawHttp(baseUrl, request);
  expect(answers).to.have.length(1);
  return answers[0]!;
};

describe('Requests Node cannot take (bad HTTP, oversized headers), answered like every other error', () => {
  const logs = captureLogs();
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ logger: logs.logger });
  });

  after(async () => {
    await app.stop();
  });

  it('a malformed header: 400 with the error map, a request id that is logged, and the usual headers', async () => {
    const answer = await sendRaw(app.baseUrl, 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
    expect(answer.status).to.equal(400);
    expect(answer.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(answer.headers['x-content-type-options']).to.equal('nosniff');
    expect(answer.headers.connection).to.equal('close');
    expect(Number(answer.headers['content-length'])).to.equal(Buffer.byteLength(answer.body));
    expect(JSON.parse(answer.body)).to.deep.equal({ errors: { body: ['Permintaan HTTP tidak valid.'] } });
    const requestId = answer.headers['x-request-id'];
    expect(requestId).to.match(/^[0-9a-f-]{36}$/);
    const logged = logs.lines.find((line) => line.requestId === requestId);
    expect(logged).to.include({ msg: 'malformed request', status: 400, reason: 'HPE_INVALID_HEADER_TOKEN' });
  });

  it('a request line that is not HTTP: 400', async () => {
    const answer = await sendRaw(app.baseUrl, 'hello there\r\n\r\n');
    expect(answer.status).to.equal(400);
    expect(JSON.parse(answer.body)).to.deep.equal({ errors: { body: ['Permintaan HTTP tidak valid.'] } });
  });

  it('headers over the 16 KiB limit: 431', async () => {
    const answer = await sendRaw(app.baseUrl, `GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: a=${'x'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer.status).to.equal(431);
    expect(JSON.parse(answer.body)).to.deep.equal({ errors: { body: ['Header permintaan terlalu besar.'] } });
    expect(answer.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('a pipelined request that does not parse, after a valid one: the valid one is answered first, whole', async () => {
    const profile = JSON.stringify({ name: 'Budi', city: 'Solo', country: 'Indonesia' });
    const valid = `POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${profile.length}\r\n\r\n${profile}`;
    const answers = await sendRawHttp(app.baseUrl, `${valid}GARBAGE GARBAGE\r\n\r\n`);
    expect(answers.map((answer) => answer.status)).to.deep.equal([201, 400]);
    expect(JSON.parse(answers[0]!.body)).to.have.property('sessionToken');
    expect(JSON.parse(answers[1]!.body)).to.deep.equal({ errors: { body: ['Permintaan HTTP tidak valid.'] } });
  });

  describe('a request whose body stops arriving: answered at once, not held to the 30 s request timeout', () => {
    const head = (framing: string, requestId: string) =>
      `POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\nX-Request-Id: ${requestId}\r\nAccept-Language: en\r\n\r\n`;

    it('the client closes its side mid-upload: 400 under the request\'s own id, in its language', async () => {
      const answers = await sendRawHttp(app.baseUrl, `${head('Content-Length: 51', 'cut-short')}{"name":`, { endAfter: true });
      expect(answers.map((answer) => [answer.status, answer.headers['x-request-id']])).to.deep.equal([[400, 'cut-short']]);
      expect(JSON.parse(answers[0]!.body)).to.deep.equal({ errors: { body: ['The HTTP request is malformed.'] } });
      expect(logs.lines.find((line) => line.requestId === 'cut-short' && line.msg === 'malformed request')).to.include({ reason: 'HPE_INVALID_EOF_STATE' });
    });

    it('a chunked body with a chunk size that is not hexadecimal: 400 under the request\'s own id', async () => {
      const answers = await sendRawHttp(app.baseUrl, `${head('Transfer-Encoding: chunked', 'bad-chunk')}5\r\n{"nam\r\nzz\r\n`);
      expect(answers.map((answer) => [answer.status, answer.headers['x-request-id']])).to.deep.equal([[400, 'bad-chunk']]);
    });

    it('logs and counts the 400 the client got, not the 429 the app decided before it read the body', async () => {
      const limitedLogs = captureLogs();
      const limited = await startTestApp({ logger: limitedLogs.logger, env: { RATE_LIMIT_MAX: '1' } });
      try {
        expect((await postSession(limited.baseUrl, aProfile().build())).status).to.equal(201);
        const histogram = async (status: number): Promise<number> => {
          const { text } = await send(limited.baseUrl, { path: '/metrics' });
          return sample(text, `livechat_http_request_duration_seconds_count{method="POST",route="/livechat/session",status="${status}"}`) ?? 0;
        };
        const answers = await sendRawHttp(limited.baseUrl, `${head('Transfer-Encoding: chunked', 'limited-bad-chunk')}5\r\n{"nam\r\nzz\r\n`);
        expect(answers.map((answer) => answer.status)).to.deep.equal([400]);
        const accessLine = async () => {
          for (let tries = 0; tries < 100; tries += 1) {
            const line = limitedLogs.lines.find((logged) => logged.requestId === 'limited-bad-chunk' && logged.msg === 'request');
            if (line !== undefined) return line;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          return undefined;
        };
        expect(await accessLine()).to.include({ status: 400 });
        expect([await histogram(400), await histogram(429)]).to.deep.equal([1, 0]);
      } finally {
        await limited.stop();
      }
    });
  });

  it('counts what it answered by status in livechat_malformed_requests_total: they never reach the request histogram', async () => {
    const counted = async (status: number): Promise<number> => {
      const { text } = await send(app.baseUrl, { path: '/metrics' });
      return sample(text, `livechat_malformed_requests_total{status="${status}"}`) ?? 0;
    };
    const [before400, before431] = [await counted(400), await counted(431)];
    await sendRaw(app.baseUrl, 'hello there\r\n\r\n');
    await sendRaw(app.baseUrl, 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
    await sendRaw(app.baseUrl, `GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: a=${'x'.repeat(20 * 1024)}\r\n\r\n`);
    expect(await counted(400)).to.equal(before400 + 2);
    expect(await counted(431)).to.equal(before431 + 1);
  });

  it('logs no part of what was sent: it may hold cookies or personal data', async () => {
    const before = logs.raw.length;
    await sendRaw(app.baseUrl, 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nCookie: livechat_name=Budi\r\nBad Header: Surabaya\r\n\r\n');
    const written = logs.raw.slice(before).join('\n');
    expect(written).to.include('malformed request');
    expect(written).to.not.match(/Budi|Surabaya|livechat_name/);
  });
});
