import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { answerClientError } from '../../../src/adapters/http/clientError.js';
import { captureLogs } from '../../support/logCapture.js';

const clientError = (code: string): Error & { code: string } => Object.assign(new Error(`Parse Error: ${code}`), { code });

/** A socket as the handler sees it: what is written to it can be read back. */
const aSocket = (): { socket: PassThrough; written: () => string } => {
  const socket = new PassThrough();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { socket, written: () => Buffer.concat(chunks).toString('utf8') };
};

describe('answerClientError', () => {
  it('answers a request too slow to arrive with 408, and closes the connection', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    answerClientError(logs.logger)(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.match(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(written()).to.include('\r\nConnection: close\r\n');
    expect(written().split('\r\n\r\n')[1]).to.equal('{"errors":{"body":["Permintaan terlalu lama terkirim."]}}');
    expect(socket.destroyed).to.equal(true);
    expect(logs.lines[0]).to.include({ msg: 'malformed request', status: 408, reason: 'ERR_HTTP_REQUEST_TIMEOUT' });
  });

  it('writes nothing to a connection the client reset, and logs nothing: there is nobody to answer', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    answerClientError(logs.logger)(clientError('ECONNRESET'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.equal('');
    expect(socket.destroyed).to.equal(true);
    expect(logs.lines).to.deep.equal([]);
  });

  it('writes nothing into a response already begun on the connection (a pipelined request), only closes it', async () => {
    const logs = captureLogs();
    const { socket, written } = aSocket();
    Object.assign(socket, { _httpMessage: { headersSent: true } });
    answerClientError(logs.logger)(clientError('HPE_INVALID_METHOD'), socket);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written()).to.equal('');
    expect(socket.destroyed).to.equal(true);
  });
});
