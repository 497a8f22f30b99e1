import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from './freePort.js';

/** How the fake answers: like hCaptcha, with an HTTP error, with something that is not JSON, or not at all. */
export type SiteverifyBehaviour = 'siteverify' | 'http_error' | 'not_json' | 'silent';

export interface FakeSiteverify {
  readonly url: string;
  /** The form of every request it received. */
  readonly requests: URLSearchParams[];
  behaviour: SiteverifyBehaviour;
  close(): Promise<void>;
}

export interface FakeSiteverifyOptions {
  readonly secret: string;
  readonly sitekey: string;
  /** The one solved captcha it accepts. */
  readonly acceptedToken: string;
}

const siteverifyAnswer = (form: URLSearchParams, options: FakeSiteverifyOptions): Record<string, unknown> => {
  if (form.get('secret') !== options.secret) return { success: false, 'error-codes': ['invalid-input-secret'] };
  if (form.has('sitekey') && form.get('sitekey') !== options.sitekey) {
    return { success: false, 'error-codes': ['sitekey-secret-mismatch'] };
  }
  const token = form.get('response');
  if (token === null || token === '') return { success: false, 'error-codes': ['missing-input-response'] };
  if (token !== options.acceptedToken) return { success: false, 'error-codes': ['invalid-input-response'] };
  return { success: true, challenge_ts: new Date().toISOString(), hostname: '127.0.0.1' };
};

/**
 * A local stand-in for https://api.hcaptcha.com/siteverify speaking its protocol: a form-encoded POST of
 * secret, response, remoteip and sitekey, answered with `{"success": …, "error-codes": […]}`.
 */
export const startFakeSiteverify = async (options: FakeSiteverifyOptions): Promise<FakeSiteverify> => {
  const requests: URLSearchParams[] = [];
  const fake = { behaviour: 'siteverify' as SiteverifyBehaviour };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push(form);
      if (fake.behaviour === 'silent') return;
      if (fake.behaviour === 'http_error') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
        return;
      }
      if (fake.behaviour === 'not_json') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        return;
      }
      const wellFormed = req.method === 'POST' && req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
      const answer = wellFormed ? siteverifyAnswer(form, options) : { success: false, 'error-codes': ['bad-request'] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/siteverify`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};

/** A URL on a port nothing listens on: connections are refused at once. */
export const closedPortUrl = async (): Promise<string> => `http://127.0.0.1:${await freePort()}/siteverify`;
