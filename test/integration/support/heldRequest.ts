import { once } from 'node:events';
import http from 'node:http';
import { aProfile } from '../../support/builders.js';

export interface HeldAnswer {
  readonly status: number;
  readonly text: string;
  /** The answer's Connection header: `close` when the server will not take another request on it. */
  readonly connection: string | undefined;
}

export interface HeldRequest {
  /** Sends the body; resolves with the answer. */
  finish(): Promise<HeldAnswer>;
}

/**
 * POST /livechat/session whose headers the server has taken (it answered 100 Continue) but whose body has
 * not been sent: a request in flight, holding up a graceful stop, until `finish`.
 */
export const holdSessionRequest = async (baseUrl: string, { keepAlive = false } = {}): Promise<HeldRequest> => {
  const { hostname, port } = new URL(baseUrl);
  const body = JSON.stringify(aProfile().build());
  const request = http.request({
    host: hostname,
    port,
    method: 'POST',
    path: '/livechat/session',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      expect: '100-continue',
      // Without an agent, Node's client asks for the connection to be closed, unless told otherwise.
      connection: keepAlive ? 'keep-alive' : 'close',
    },
  });
  const response = new Promise<HeldAnswer>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
    });
    request.on('error', reject);
  });
  // A server that dies while the request is held rejects it before anyone asked; finish() still reports it.
  response.catch(() => undefined);
  const continued = once(request, 'continue');
  request.flushHeaders();
  await continued;
  return {
    finish: () => {
      request.end(body);
      return response;
    },
  };
};
