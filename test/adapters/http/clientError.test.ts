import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { answerClientError } from '../../../src/adapters/http/clientError.js';
import { NO_METRICS } from '../../../src/adapters/http/httpMetrics.js';
import { captureLogs } from '../../support/logCapture.js';

const clientError = (code: string): Error & { code: string } => Object.assign(new Error(`Parse Error: ${code}`), { code });

/** A socket as the handler sees it, on which `bytesRead` bytes arrived: what is written to it can be read back. */
const aSocket = (bytesRead = 30): { socket: PassThrough; written: () => string } => {
  const socket = Object.assign(new PassThrough(), { bytesRead });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { socket, written: () => Buffer.concat(chunks).toString('utf8') };
};

describe('answerClientError', () => {
  it('answers a request too slow to arrive with 408, and closes the connection', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    answerClientError(logs.logger, NO_METRICS)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.match(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written()).to.include('\r\nConnection: close\r\n');
    expect(written().split('\r\n\r\n')[1]).to.equal('{"errors":{"body":["Permintaan terlalu lama terkirim."]}}');
    expect(socket.destroyed).to.equal(true);
    expect(logs.lines[0]).to.include({ msg: 'malformed request', status: 408, reason: 'ERR_HTTP_REQUEST_TIMEOUT' });
  });

  it('closes a connection on which nothing arrived without a word: no answer, no log line, no count', async () => {
    const logs = captureLogs();
    const counted: number[] = [];
    const { socket, written } = aSocket(0);
    answerClientError(logs.logger, { ...NO_METRICS, malformedRequest: (status) => counted.push(status) })(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.equal('');
    expect(socket.destroyed).to.equal(true);
    expect(logs.lines).to.deep.equal([]);
    expect(counted).to.deep.equal([]);
  });

  it('writes nothing to a connection the client reset, and logs nothing: there is nobody to answer', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    answerClientError(logs.logger, NO_METRICS)(clientError('ECONNRESET'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.equal('');
    expect(socket.destroyed).to.equal(true);
    expect(logs.lines).to.deep.equal([]);
  });

  it('answers a pipelined request that did not parse only once the answer before it is whole', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    const earlier = Object.assign(new EventEmitter(), { headersSent: true, writableFinished: false, getHeader: () => 'earlier-id' });
    Object.assign(socket, { _httpMessage: earlier });
    answerClientError(logs.logger, NO_METRICS)(clientError('HPE_INVALID_METHOD'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written(), 'nothing in front of the answer under way').to.equal('');
    expect(socket.destroyed).to.equal(false);

    earlier.emit('finish');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(written()).to.not.include('earlier-id');
    expect(socket.destroyed).to.equal(true);
  });

  it("answers a request that timed out in the language its Accept-Language asked for", async () => {
    const logs = captureLogs();
    const timedOut = (acceptLanguage: string) =>
      Object.assign(new EventEmitter(), {
        headersSent: false,
        writableFinished: false,
        getHeader: () => undefined,
        req: { headers: { 'accept-language': acceptLanguage } },
      });
    const english = aSocket();
    Object.assign(english.socket, { _httpMessage: timedOut('en-GB,en;q=0.9') });
    answerClientError(logs.logger, NO_METRICS)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), english.socket);
    const indonesian = aSocket();
    Object.assign(indonesian.socket, { _httpMessage: timedOut('id,en;q=0.5') });
    answerClientError(logs.logger, NO_METRICS)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), indonesian.socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(english.written().split('\r\n\r\n')[1]).to.equal('{"errors":{"body":["The request took too long to arrive."]}}');
    expect(indonesian.written().split('\r\n\r\n')[1]).to.equal('{"errors":{"body":["Permintaan terlalu lama terkirim."]}}');
  });

  it('counts each answer by status once: a timed-out request in flight is counted where it is handled', async () => {
    const logs = captureLogs();
    const counted: number[] = [];
    const metrics = { ...NO_METRICS, malformedRequest: (status: number) => counted.push(status) };
    answerClientError(logs.logger, metrics)(clientError('HPE_HEADER_OVERFLOW'), aSocket().socket);
    answerClientError(logs.logger, metrics)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), aSocket().socket);
    const waiting = aSocket();
    Object.assign(waiting.socket, { _httpMessage: Object.assign(new EventEmitter(), { headersSent: false, writableFinished: false, getHeader: () => undefined }) });
    answerClientError(logs.logger, metrics)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), waiting.socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(waiting.written()).to.match(/^HTTP\/1\.1 408 /);
    expect(counted).to.deep.equal([431, 408]);
  });

  it('answers a request that timed out under the request id it was given, unless its answer has begun', async () => {
    const logs = captureLogs();
    const timedOut = (headersSent: boolean) =>
      Object.assign(new EventEmitter(), { headersSent, writableFinished: false, getHeader: () => 'caller-id-42' });

    const waiting = aSocket();
    Object.assign(waiting.socket, { _httpMessage: timedOut(false) });
    answerClientError(logs.logger, NO_METRICS)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), waiting.socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(waiting.written()).to.match(/^HTTP\/1\.1 408 /).and.include('\r\nX-Request-Id: caller-id-42\r\n');
    expect(logs.lines[0]).to.include({ requestId: 'caller-id-42', status: 408 });

    const begun = aSocket();
    Object.assign(begun.socket, { _httpMessage: timedOut(true) });
    answerClientError(logs.logger, NO_METRICS)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), begun.socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(begun.written(), 'nothing written into an answer already begun').to.equal('');
    expect(begun.socket.destroyed).to.equal(true);
  });
});

describe('answerClientError on a server with the service\'s timeouts, scaled down', () => {
  const logs = captureLogs();
  const counted: number[] = [];
  let server: Server;
  let port: number;

  before(async () => {
    // As in production, a request gets less time to arrive than an idle keep-alive connection is kept.
    server = createServer({ requestTimeout: 300, headersTimeout: 300, keepAliveTimeout: 3_000, connectionsCheckingInterval: 50 }, (_request, response) =>
      response.end('{}'),
    );
    server.on('clientError', answerClientError(logs.logger, { ...NO_METRICS, malformedRequest: (status) => counted.push(status) }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    ({ port } = server.address() as AddressInfo);
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    logs.lines.length = 0;
    counted.length = 0;
  });

  /** Opens a connection, sends `bytes`, and collects what comes back until the server closes it or `forMs` pass. */
  const exchange = async (bytes: string, forMs: number): Promise<{ received: string; closedByServer: boolean }> => {
    const socket: Socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    if (bytes !== '') socket.write(bytes);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = once(socket, 'close').then(() => true);
    const closedByServer = await Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), forMs))]);
    socket.destroy();
    return { received: Buffer.concat(chunks).toString('utf8'), closedByServer };
  };

  it('a connection that sends nothing: closed at the request timeout, with no answer, no log line and no count', async () => {
    expect(await exchange('', 2_000)).to.deep.equal({ received: '', closedByServer: true });
    expect(logs.lines).to.deep.equal([]);
    expect(counted).to.deep.equal([]);
  });

  it('an idle keep-alive connection between requests: left alone until its keep-alive ends', async () => {
    const { received, closedByServer } = await exchange('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 700);
    expect(received).to.match(/^HTTP\/1\.1 200 /).and.not.include('408');
    expect(closedByServer).to.equal(false);
    expect(logs.lines).to.deep.equal([]);
  });

  it('a request that started and is too slow: its 408, logged and counted, as before', async () => {
    const { received, closedByServer } = await exchange('GET / HTTP/1.1\r\nHo', 2_000);
    expect(received).to.match(/^HTTP\/1\.1 408 /);
    expect(closedByServer).to.equal(true);
    expect(logs.lines.map((line) => [line.msg, line.status])).to.deep.equal([['malformed request', 408]]);
    expect(counted).to.deep.equal([408]);
  });
});
