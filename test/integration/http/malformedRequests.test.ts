import { connect } from 'node:net';
import { expect } from 'chai';
import { captureLogs } from '../../support/logCapture.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sends bytes as they are (no HTTP client would send these) and reads the answer until the server closes. */
const sendRaw = (baseUrl: string, request: string): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });

describe('Requests Node cannot parse, answered before Koa sees them', () => {
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

  it('logs no part of what was sent: it may hold cookies or personal data', async () => {
    const before = logs.raw.length;
    await sendRaw(app.baseUrl, 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nCookie: livechat_name=Budi\r\nBad Header: Surabaya\r\n\r\n');
    const written = logs.raw.slice(before).join('\n');
    expect(written).to.include('malformed request');
    expect(written).to.not.match(/Budi|Surabaya|livechat_name/);
  });
});
