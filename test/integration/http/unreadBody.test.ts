import { connect } from 'node:net';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/testApp.js';

interface Upload {
  /** What the server sent back before the connection ended. */
  readonly received: string;
  /** From the server's answer to the end of the connection, in ms. */
  readonly endedAfterAnswerMs: number;
  /** What the client managed to send: what the server read, and what the two ends' buffers held. */
  readonly sentBytes: number;
}

/**
 * Declares a huge body and keeps sending it, as fast as the server takes it (or, with `trickle`, 1 KiB every 50 ms),
 * until the server ends the connection (or `giveUpMs` passes: then the upload is abandoned and the promise fails).
 */
const uploadWithoutEnd = (baseUrl: string, head: string, giveUpMs: number, { trickle = false } = {}): Promise<Upload> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    // Half-open allowed: it goes on sending once the server has ended its side, as a client that does not read does.
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    const chunk = Buffer.alloc(trickle ? 1024 : 64 * 1024, 'a');
    const received: Buffer[] = [];
    let answeredAt: number | undefined;
    let ended = false;
    const pump = (): void => {
      while (!ended && socket.write(chunk) && !trickle);
    };
    const trickling = trickle ? setInterval(pump, 50) : undefined;
    const giveUp = setTimeout(() => {
      ended = true;
      clearInterval(trickling);
      socket.destroy();
      reject(new Error(`the server still took the body ${giveUpMs} ms on`));
    }, giveUpMs);
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    if (!trickle) socket.on('drain', pump);
    socket.on('data', (data: Buffer) => {
      answeredAt ??= Date.now();
      received.push(data);
    });
    // A reset or a broken pipe is how a server that stops reading ends an upload: the answer has been read by then.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (ended) return;
      ended = true;
      clearTimeout(giveUp);
      clearInterval(trickling);
      resolve({
        received: Buffer.concat(received).toString('utf8'),
        endedAfterAnswerMs: Date.now() - (answeredAt ?? Date.now()),
        sentBytes: socket.bytesWritten - socket.writableLength,
      });
    });
  });

describe('An answer sent before its request body arrived: the rest of the body is not read for long', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app.stop();
  });

  it('a 413 for a declared 100 GB: the client reads its answer, then the connection ends within seconds, not at the 30 s timeout', async () => {
    const head =
      'POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n';
    const upload = await uploadWithoutEnd(app.baseUrl, head, 10_000);
    expect(upload.received).to.match(/^HTTP\/1\.1 413 /);
    expect(upload.received).to.match(/\r\nConnection: close\r\n/i);
    expect(upload.received.split('\r\n\r\n')[1]).to.equal('{"errors":{"body":["Body permintaan melebihi batas 16 KiB."]}}');
    // The bound is 2 s; the margin is for a loaded machine.
    expect(upload.endedAfterAnswerMs).to.be.below(5_000);
    // The server stops reading after 256 KiB; what the client got off its hands beyond that sits in the kernel's
    // buffers (a few MiB over loopback). Reading on, the server would take hundreds of MiB in those 2 s.
    expect(upload.sentBytes).to.be.below(64 * 1024 * 1024);
  });

  it('a client that trickles its body: the connection ends within seconds all the same', async () => {
    const head = 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n';
    const upload = await uploadWithoutEnd(app.baseUrl, head, 10_000, { trickle: true });
    expect(upload.received).to.match(/^HTTP\/1\.1 413 /);
    expect(upload.endedAfterAnswerMs).to.be.below(5_000);
  });

  it('any early answer, a 415 too', async () => {
    const head = 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000000000\r\n\r\n';
    const upload = await uploadWithoutEnd(app.baseUrl, head, 10_000);
    expect(upload.received).to.match(/^HTTP\/1\.1 415 /);
    expect(upload.endedAfterAnswerMs).to.be.below(5_000);
  });
});
