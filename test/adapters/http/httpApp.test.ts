import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import Keygrip from 'keygrip';
import { GuestCookie } from '../../../src/adapters/http/guestCookie.js';
import { createHttpApp } from '../../../src/adapters/http/httpApp.js';
import type { ReadinessReport } from '../../../src/adapters/http/readiness.js';
import { StoreUnavailable } from '../../../src/application/errors.js';
import { StartSession } from '../../../src/application/startSession.js';
import { aProfile } from '../../support/builders.js';
import { FixedClock, InMemorySessionRepository, RecordingTokenIssuer, randomIds } from '../../support/fakes.js';
import { postSession, send } from '../../support/httpClient.js';
import { sendRawHttp } from '../../support/rawHttp.js';
import { captureLogs } from '../../support/logCapture.js';

interface Harness {
  baseUrl: string;
  sessions: InMemorySessionRepository;
  logs: ReturnType<typeof captureLogs>;
  readiness: { report: ReadinessReport };
  close(): Promise<void>;
}

const startHarness = async (options: { max?: number; trustedProxyHops?: number } = {}): Promise<Harness> => {
  const sessions = new InMemorySessionRepository();
  const logs = captureLogs();
  const readiness = { report: { ready: true, stopping: false, checks: { database: 'up', redis: 'not_configured' } } as ReadinessReport };
  const app = createHttpApp({
    logger: logs.logger,
    startSession: new StartSession({
      sessions,
      tokens: new RecordingTokenIssuer(sessions),
      clock: new FixedClock(new Date('2026-11-25T08:00:00Z')),
      ids: randomIds,
      sessionLifetimeSeconds: 86_400,
    }),
    guestCookie: new GuestCookie(new Keygrip(['a-secret-for-the-unit-tests-of-the-http-adapter'], 'sha256')),
    cookieSecurity: 'auto',
    rateLimit: {
      backend: { kind: 'memory' },
      max: options.max ?? 1000,
      windowMs: 60_000,
      namespace: 'unit',
      onBackendFailure: () => undefined,
    },
    readiness: { check: () => Promise.resolve(readiness.report) },
    jwks: { keys: [] },
    trustedProxyHops: options.trustedProxyHops ?? 0,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sessions,
    logs,
    readiness,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

describe('HTTP adapter', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  const errorsOf = (json: unknown): Record<string, string[]> => (json as { errors: Record<string, string[]> }).errors;

  describe('Scenario 3 and the negatives of the testing plan', () => {
    it('{"name": ""} → 422 with "Nama wajib diisi." and the missing city and country', async () => {
      const response = await postSession(harness.baseUrl, { name: '' });
      expect(response.status).to.equal(422);
      expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(response.json).to.deep.equal({
        errors: { name: ['Nama wajib diisi.'], city: ['Kota wajib diisi.'], country: ['Negara wajib diisi.'] },
      });
    });

    it('{"name": null, "city": "Solo"} → 422', async () => {
      const response = await postSession(harness.baseUrl, { name: null, city: 'Solo' });
      expect(response.status).to.equal(422);
      expect(errorsOf(response.json)).to.deep.equal({ name: ['Nama wajib diisi.'], country: ['Negara wajib diisi.'] });
    });

    it('{"name": "Budi", "city": "S"} → 422 on the city length', async () => {
      const response = await postSession(harness.baseUrl, { name: 'Budi', city: 'S', country: 'Indonesia' });
      expect(response.status).to.equal(422);
      expect(errorsOf(response.json)).to.deep.equal({ city: ['Kota minimal 2 karakter.'] });
    });

    it('answers in English when Accept-Language prefers it', async () => {
      const response = await postSession(harness.baseUrl, { name: '', city: 'S', country: '<b>' }, {
        headers: { 'accept-language': 'en-US,en;q=0.9,id;q=0.5' },
      });
      expect(errorsOf(response.json)).to.deep.equal({
        name: ['Name is required.'],
        city: ['City must be at least 2 characters.'],
        country: ["Country may contain only letters, spaces, full stops (.), apostrophes ('), hyphens (-), and brackets ( )."],
      });
    });

    it('stays Indonesian for other languages and when Indonesian is preferred, by its old code `in` too', async () => {
      for (const language of ['fr', 'id,en;q=0.8', '*', 'in, en;q=0.5', 'in-ID,en;q=0.8']) {
        const response = await postSession(harness.baseUrl, { name: '' }, { headers: { 'accept-language': language } });
        expect(errorsOf(response.json).name, language).to.deep.equal(['Nama wajib diisi.']);
      }
    });

    it('a wrong type → 422 naming the field', async () => {
      const response = await postSession(harness.baseUrl, aProfile().withName(12).withCity(['Solo']).build());
      expect(errorsOf(response.json)).to.deep.equal({ name: ['Nama harus berupa teks.'], city: ['Kota harus berupa teks.'] });
    });

    for (const [label, body] of [
      ['an array', '[]'],
      ['a string', '"Budi"'],
      ['an empty string', '""'],
      ['a number', '42'],
      ['null', 'null'],
    ]) {
      it(`a body that is ${label}, not an object → 422`, async () => {
        const response = await postSession(harness.baseUrl, body);
        expect(response.status).to.equal(422);
        expect(response.json).to.deep.equal({ errors: { body: ['Body permintaan harus berupa objek JSON.'] } });
      });
    }

    it('an empty JSON body → 422 with all three fields required', async () => {
      const response = await postSession(harness.baseUrl, '');
      expect(response.status).to.equal(422);
      expect(Object.keys(errorsOf(response.json))).to.deep.equal(['name', 'city', 'country']);
    });

    it('malformed JSON → 400', async () => {
      const response = await postSession(harness.baseUrl, '{"name": "Budi",');
      expect(response.status).to.equal(400);
      expect(response.json).to.deep.equal({ errors: { body: ['Body permintaan bukan JSON yang valid.'] } });
    });

    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      it(`Content-Type ${contentType} → 415`, async () => {
        const response = await postSession(harness.baseUrl, 'name=Budi', { headers: { 'content-type': contentType } });
        expect(response.status).to.equal(415);
        expect(response.json).to.deep.equal({ errors: { body: ['Content-Type harus application/json (UTF-8).'] } });
      });
    }

    it('application/json with no body at all (neither Content-Length nor Transfer-Encoding) → 422, not 415', async () => {
      // node:http always frames a POST body, so the request is written by hand, as `curl -X POST` sends it.
      const [answer] = await sendRawHttp(harness.baseUrl, 'POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n');
      expect(answer?.status).to.equal(422);
      expect(Object.keys(errorsOf(JSON.parse(answer!.body)))).to.deep.equal(['name', 'city', 'country']);
    });

    it('a body cut short (the client went away, or took too long) is logged as 408 under the request id, not as malformed', async () => {
      const { port } = new URL(harness.baseUrl);
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(
        'POST /livechat/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Request-Id: cut-short-1\r\nContent-Length: 100\r\n\r\n{"name": "Bu',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      const deadline = Date.now() + 5_000;
      while (!harness.logs.lines.some((line) => line.requestId === 'cut-short-1') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(harness.logs.lines.find((line) => line.requestId === 'cut-short-1')).to.include({ msg: 'request', status: 408 });
    });

    it('no Content-Type at all → 415', async () => {
      const response = await send(harness.baseUrl, { method: 'POST', path: '/livechat/session' });
      expect(response.status).to.equal(415);
    });

    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json;charset=utf8', 'application/json; charset=us-ascii']) {
      it(`accepts the UTF-8 charset parameter: ${contentType}`, async () => {
        const response = await postSession(harness.baseUrl, aProfile().build(), { headers: { 'content-type': contentType } });
        expect(response.status).to.equal(201);
      });
    }

    for (const contentType of ['application/json; charset=iso-8859-1', 'application/json; charset=utf-16', 'application/json; charset=utf-16le;', 'application/json;;charset="windows-1252"']) {
      it(`refuses a body declared in another charset, which would be misread as UTF-8: ${contentType} → 415`, async () => {
        const response = await postSession(harness.baseUrl, aProfile().build(), {
          headers: { 'content-type': contentType, 'accept-language': 'en' },
        });
        expect(response.status).to.equal(415);
        expect(response.json).to.deep.equal({ errors: { body: ['Content-Type must be application/json (UTF-8).'] } });
        expect(harness.sessions.sessions).to.deep.equal([]);
      });
    }

    for (const contentType of [
      'application/json; charset',
      'application/json; foo',
      'application/json; =x',
      'application/json;;charset=utf-8',
      'application/json; charset=utf-8 x',
      'application/json; charset="utf-8',
    ]) {
      it(`refuses a Content-Type the body parser cannot read, rather than report the fields sent as missing: ${contentType} → 415`, async () => {
        const response = await postSession(harness.baseUrl, aProfile().build(), {
          headers: { 'content-type': contentType, 'accept-language': 'en' },
        });
        expect(response.status).to.equal(415);
        expect(response.json).to.deep.equal({ errors: { body: ['Content-Type must be application/json (UTF-8).'] } });
        expect(harness.sessions.sessions).to.deep.equal([]);
      });
    }

    describe('a compressed body (Content-Encoding)', () => {
      const profileJson = Buffer.from(JSON.stringify(aProfile().build()));

      for (const [coding, compress] of [
        ['gzip', gzipSync],
        ['deflate', deflateSync],
        ['br', brotliCompressSync],
        ['GZIP', gzipSync],
        ['x-gzip', gzipSync],
      ] as const) {
        it(`is decompressed and read: ${coding} (codings are case-insensitive, x-gzip is gzip)`, async () => {
          const response = await postSession(harness.baseUrl, compress(profileJson), { headers: { 'content-encoding': coding } });
          expect(response.status).to.equal(201);
          expect(harness.sessions.sessions).to.have.length(1);
        });
      }

      for (const coding of ['zstd', 'compress', 'gzip, br']) {
        it(`in a coding the service does not decode (${coding}) → 415 naming Content-Encoding and saying which it takes`, async () => {
          const response = await postSession(harness.baseUrl, profileJson, { headers: { 'content-encoding': coding, 'accept-language': 'en' } });
          expect(response.status).to.equal(415);
          expect(response.headers['accept-encoding']).to.equal('gzip, deflate, br');
          expect(response.json).to.deep.equal({ errors: { body: ['Content-Encoding is not supported: send the body as gzip, deflate, br or uncompressed.'] } });
          expect(harness.sessions.sessions).to.deep.equal([]);
        });
      }

      it('over 16 KiB once decompressed, however small compressed → 413', async () => {
        const padded = Buffer.from(JSON.stringify({ ...aProfile().build(), padding: ' '.repeat(1024 * 1024) }));
        const response = await postSession(harness.baseUrl, gzipSync(padded), { headers: { 'content-encoding': 'gzip' } });
        expect(response.status).to.equal(413);
        expect(harness.sessions.sessions).to.deep.equal([]);
      });

      for (const [label, coding, body] of [
        ['not gzip at all', 'gzip', profileJson],
        ['gzip cut short', 'gzip', gzipSync(profileJson).subarray(0, 12)],
        ['not brotli', 'br', profileJson],
      ] as const) {
        it(`that cannot be decompressed (${label}) → 400 saying so, not that the JSON is invalid`, async () => {
          const response = await postSession(harness.baseUrl, body, { headers: { 'content-encoding': coding } });
          expect(response.status).to.equal(400);
          expect(response.json).to.deep.equal({ errors: { body: ['Body permintaan tidak dapat didekompresi sesuai Content-Encoding-nya.'] } });
          expect(harness.sessions.sessions).to.deep.equal([]);
        });
      }
    });

    it('ignores a __proto__ key like any other unknown field', async () => {
      const response = await postSession(harness.baseUrl, '{"__proto__": {"polluted": true}, "name": "Budi", "city": "Solo", "country": "Indonesia"}');
      expect(response.status).to.equal(201);
      expect(harness.sessions.sessions.map((session) => session.profile)).to.deep.equal([{ name: 'Budi', city: 'Solo', country: 'Indonesia' }]);
    });

    it('a body over 16 KiB → 413, and nothing is stored', async () => {
      const response = await postSession(harness.baseUrl, { ...aProfile().build(), padding: 'x'.repeat(16 * 1024) });
      expect(response.status).to.equal(413);
      expect(response.json).to.deep.equal({ errors: { body: ['Body permintaan melebihi batas 16 KiB.'] } });
      expect(harness.sessions.sessions).to.deep.equal([]);
    });

    it('XSS payloads, control, zero-width, bidi and invisible-letter characters, and zalgo → 422 in every field', async () => {
      const payloads = [
        ...['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'Bu\u0000di', 'Bu\u200Bdi', 'Budi\u202E'],
        // A value that renders blank, one that renders as "Budi" without being it, and zalgo.
        ...['\u3164\u3164', 'Budi\uFE0F\uFE0F\u034F', `A${'\u0300'.repeat(79)}`],
      ];
      for (const payload of payloads) {
        for (const field of ['name', 'city', 'country'] as const) {
          const response = await postSession(harness.baseUrl, { ...aProfile().build(), [field]: payload });
          expect(response.status, `${field} ${JSON.stringify(payload)}`).to.equal(422);
          expect(Object.keys(errorsOf(response.json))).to.deep.equal([field]);
        }
      }
      expect(harness.sessions.sessions).to.deep.equal([]);
    });

    it('zalgo → 422 with its own message, in Indonesian and in English', async () => {
      const zalgo = { ...aProfile().build(), name: `A${'\u0300'.repeat(79)}` };
      const indonesian = await postSession(harness.baseUrl, zalgo);
      expect(indonesian.status).to.equal(422);
      expect(errorsOf(indonesian.json)).to.deep.equal({ name: ['Nama tidak boleh memuat lebih dari 4 tanda diakritik berturut-turut.'] });
      const english = await postSession(harness.baseUrl, zalgo, { headers: { 'accept-language': 'en' } });
      expect(errorsOf(english.json)).to.deep.equal({ name: ['Name may have at most 4 accents or other combining marks in a row.'] });
    });
  });

  describe('created', () => {
    it('answers 201 with the token, ids and expiry, no-store, and the cookies', async () => {
      const response = await postSession(harness.baseUrl, { name: '李小龍', city: 'Hong Kong', country: 'China' });
      expect(response.status).to.equal(201);
      expect(response.headers['cache-control']).to.equal('no-store');
      const body = response.json as Record<string, string>;
      expect(body.sessionToken).to.equal(`token-for-${body.sessionId}`);
      expect(body.expiresAt).to.equal('2026-11-26T08:00:00.000Z');
      expect(response.setCookies).to.include(`livechat_name=${encodeURIComponent('李小龍')}; Max-Age=31536000; Path=/; SameSite=Lax`);
      expect(response.setCookies).to.include('livechat_city=Hong%20Kong; Max-Age=31536000; Path=/; SameSite=Lax');
    });

    it('marks the cookies Secure when the request came over HTTPS through a trusted proxy', async () => {
      const behindProxy = await startHarness({ trustedProxyHops: 1 });
      try {
        const response = await postSession(behindProxy.baseUrl, aProfile().build(), { headers: { 'x-forwarded-proto': 'https' } });
        expect(response.setCookies).to.have.length(4);
        for (const cookie of response.setCookies) expect(cookie).to.include('; Secure');
        const plain = await postSession(harness.baseUrl, aProfile().build(), { headers: { 'x-forwarded-proto': 'https' } });
        expect(plain.setCookies).to.have.length(4);
        for (const cookie of plain.setCookies) expect(cookie, 'an untrusted X-Forwarded-Proto').to.not.include('Secure');
      } finally {
        await behindProxy.close();
      }
    });
  });

  describe('every response', () => {
    it('carries nosniff and a request id, echoing a sane caller id only', async () => {
      const echoed = await send(harness.baseUrl, { path: '/healthz', headers: { 'x-request-id': 'abc-123' } });
      expect(echoed.headers['x-request-id']).to.equal('abc-123');
      expect(echoed.headers['x-content-type-options']).to.equal('nosniff');
      const replaced = await send(harness.baseUrl, { path: '/healthz', headers: { 'x-request-id': 'x'.repeat(200) } });
      expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      const error = await postSession(harness.baseUrl, '{');
      expect(error.headers['x-content-type-options']).to.equal('nosniff');
      expect(error.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    });

    it('unknown routes → 404 and wrong methods → 405, as JSON errors', async () => {
      const missing = await send(harness.baseUrl, { path: '/nope' });
      expect(missing.status).to.equal(404);
      expect(missing.json).to.deep.equal({ errors: { body: ['Alamat tidak ditemukan.'] } });
      const wrongMethod = await send(harness.baseUrl, { path: '/livechat/session' });
      expect(wrongMethod.status).to.equal(405);
      expect(wrongMethod.headers.allow).to.equal('POST, OPTIONS');
      expect(errorsOf(wrongMethod.json).body).to.have.length(1);
    });

    it('a method no route takes (PROPFIND): 405 naming the methods where the path exists, 404 where it does not', async () => {
      const known = await send(harness.baseUrl, { method: 'PROPFIND', path: '/livechat/session' });
      expect(known.status).to.equal(405);
      expect(known.headers.allow).to.equal('POST, OPTIONS');
      const unknown = await send(harness.baseUrl, { method: 'PROPFIND', path: '/nope' });
      expect(unknown.status).to.equal(404);
      expect(unknown.headers).to.not.have.property('allow');
      expect(unknown.json).to.deep.equal({ errors: { body: ['Alamat tidak ditemukan.'] } });
    });

    it('OPTIONS → 204 naming the methods in Allow, with no body and no text/plain type', async () => {
      const options = await send(harness.baseUrl, { method: 'OPTIONS', path: '/livechat/session' });
      expect(options.status).to.equal(204);
      expect(options.headers.allow).to.equal('POST, OPTIONS');
      expect(options.headers).to.not.have.property('content-type');
      expect(options.text).to.equal('');
      expect(options.headers['x-content-type-options']).to.equal('nosniff');
      expect((await send(harness.baseUrl, { method: 'OPTIONS', path: '/nope' })).status).to.equal(404);
    });

    it('names OPTIONS in Allow wherever it is answered, and the same methods in a 405 there', async () => {
      const routes = {
        '/livechat/session': 'POST, OPTIONS',
        '/livechat/guest': 'DELETE, OPTIONS',
        '/livechat': 'HEAD, GET, OPTIONS',
        '/livechat/assets/any.css': 'HEAD, GET, OPTIONS',
        '/healthz': 'HEAD, GET, OPTIONS',
        '/readyz': 'HEAD, GET, OPTIONS',
        '/.well-known/jwks.json': 'HEAD, GET, OPTIONS',
        '/metrics': 'HEAD, GET, OPTIONS',
        '/openapi.json': 'HEAD, GET, OPTIONS',
      };
      for (const [path, allowed] of Object.entries(routes)) {
        const options = await send(harness.baseUrl, { method: 'OPTIONS', path });
        expect([options.status, options.headers.allow], `OPTIONS ${path}`).to.deep.equal([204, allowed]);
        const wrongMethod = await send(harness.baseUrl, { method: 'PUT', path });
        expect([wrongMethod.status, wrongMethod.headers.allow], `PUT ${path}`).to.deep.equal([405, allowed]);
      }
    });

    it('logs a wrong method under the route it tried, and an unknown path as unmatched, as the metrics do', async () => {
      await send(harness.baseUrl, { path: '/livechat/session', headers: { 'x-request-id': 'wrong-method-1' } });
      await send(harness.baseUrl, { path: '/nope', headers: { 'x-request-id': 'unknown-path-1' } });
      const logged = (requestId: string) => harness.logs.lines.find((line) => line.requestId === requestId && line.msg === 'request');
      expect(logged('wrong-method-1')).to.include({ status: 405, route: '/livechat/session' });
      expect(logged('unknown-path-1')).to.include({ status: 404, route: 'unmatched' });
    });
  });

  describe('failures', () => {
    it('store unavailable → 503 with Retry-After and an errors map', async () => {
      harness.sessions.failWith = new StoreUnavailable({ cause: new Error('connect ECONNREFUSED 10.0.0.1:5432') });
      const response = await postSession(harness.baseUrl, aProfile().build(), { headers: { 'accept-language': 'en' } });
      expect(response.status).to.equal(503);
      expect(response.headers['retry-after']).to.equal('5');
      expect(response.json).to.deep.equal({ errors: { body: ['The service is temporarily unavailable. Please try again shortly.'] } });
      expect(response.setCookies).to.deep.equal([]);
    });

    it('an unexpected error → a generic 500 with no detail, logged on the server', async () => {
      harness.sessions.failWith = new Error('relation "sessions" does not exist at character 42');
      const response = await postSession(harness.baseUrl, aProfile().build());
      expect(response.status).to.equal(500);
      expect(response.json).to.deep.equal({ errors: { body: ['Terjadi kesalahan pada server. Silakan coba lagi.'] } });
      expect(response.text).to.not.include('relation');
      expect(harness.logs.lines.some((line) => line.msg === 'unhandled error')).to.equal(true);
    });
  });

  describe('rate limit (memory)', () => {
    it('lets N through, then 429 with Retry-After and an errors map, writing no row or cookie', async () => {
      const limited = await startHarness({ max: 3 });
      try {
        const admitted = [];
        for (let i = 0; i < 3; i += 1) admitted.push(await postSession(limited.baseUrl, aProfile().build()));
        expect(admitted.map((response) => response.status)).to.deep.equal([201, 201, 201]);
        expect(admitted.map((response) => response.headers['x-ratelimit-remaining'])).to.deep.equal(['2', '1', '0']);
        const refused = await postSession(limited.baseUrl, aProfile().build());
        expect(refused.status).to.equal(429);
        expect(Number(refused.headers['retry-after'])).to.be.at.least(1);
        expect(refused.headers['x-ratelimit-limit']).to.equal('3');
        // Whole seconds, though the memory driver counts in fractions of one.
        expect(refused.headers['x-ratelimit-reset']).to.match(/^\d+$/);
        expect(Number(refused.headers['x-ratelimit-reset'])).to.be.within(Date.now() / 1000, Date.now() / 1000 + 61);
        expect(errorsOf(refused.json).body![0]).to.match(/^Terlalu banyak permintaan\. Coba lagi dalam \d+ detik\.$/);
        expect(refused.setCookies).to.deep.equal([]);
        expect(limited.sessions.sessions).to.have.length(3);
      } finally {
        await limited.close();
      }
    });
  });

  describe('health', () => {
    it('/healthz is always ok; /readyz follows the probe', async () => {
      expect((await send(harness.baseUrl, { path: '/healthz' })).json).to.deep.equal({ status: 'ok' });
      expect((await send(harness.baseUrl, { path: '/readyz' })).status).to.equal(200);
      harness.readiness.report = { ready: false, stopping: false, checks: { database: 'down', redis: 'up' } };
      const down = await send(harness.baseUrl, { path: '/readyz' });
      expect(down.status).to.equal(503);
      expect(down.json).to.deep.equal({ status: 'not_ready', checks: { database: 'down', redis: 'up' } });
    });

    it('/readyz says stopping, with 503, once shutdown has begun, though every dependency is up', async () => {
      harness.readiness.report = { ready: false, stopping: true, checks: { database: 'up', redis: 'up' } };
      const stopping = await send(harness.baseUrl, { path: '/readyz' });
      expect(stopping.status).to.equal(503);
      expect(stopping.headers['cache-control']).to.equal('no-store');
      expect(stopping.json).to.deep.equal({ status: 'stopping', checks: { database: 'up', redis: 'up' } });
    });
  });
});
