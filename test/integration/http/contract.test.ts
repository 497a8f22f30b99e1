import { expect } from 'chai';
import { postSession, send } from '../../support/httpClient.js';
import { aProfile } from '../../support/builders.js';
import { OpenApiContract } from '../../support/openApiContract.js';
import { freePort } from '../../support/freePort.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const SESSION = '/livechat/session';

describe('Live responses match the OpenAPI document (contract)', () => {
  const contract = new OpenApiContract();
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });

  after(async () => {
    await app.stop();
  });

  it('201: a started session', async () => {
    const response = await postSession(app.baseUrl, aProfile().build());
    expect(response.status).to.equal(201);
    contract.expectResponseMatches('POST', SESSION, response);
  });

  it('422: invalid fields, and a body that is not an object', async () => {
    const fields = await postSession(app.baseUrl, { name: '' });
    expect(fields.status).to.equal(422);
    contract.expectResponseMatches('POST', SESSION, fields);
    const notAnObject = await postSession(app.baseUrl, '[1, 2]');
    expect(notAnObject.status).to.equal(422);
    contract.expectResponseMatches('POST', SESSION, notAnObject);
  });

  it('400: malformed JSON', async () => {
    const response = await postSession(app.baseUrl, '{"name": ');
    expect(response.status).to.equal(400);
    contract.expectResponseMatches('POST', SESSION, response);
  });

  it('413: a body over 16 KiB', async () => {
    const response = await postSession(app.baseUrl, { ...aProfile().build(), padding: 'x'.repeat(17 * 1024) });
    expect(response.status).to.equal(413);
    contract.expectResponseMatches('POST', SESSION, response);
  });

  it('415: a Content-Type that is not JSON', async () => {
    const response = await postSession(app.baseUrl, 'name=Budi', { headers: { 'content-type': 'text/plain' } });
    expect(response.status).to.equal(415);
    contract.expectResponseMatches('POST', SESSION, response);
  });

  it('415 with Accept-Encoding: a Content-Encoding the service does not decode; 400: a body that does not decompress', async () => {
    const refused = await postSession(app.baseUrl, aProfile().build(), { headers: { 'content-encoding': 'zstd' } });
    expect(refused.status).to.equal(415);
    expect(refused.headers['accept-encoding']).to.be.a('string');
    contract.expectResponseMatches('POST', SESSION, refused);
    const undecodable = await postSession(app.baseUrl, aProfile().build(), { headers: { 'content-encoding': 'gzip' } });
    expect(undecodable.status).to.equal(400);
    contract.expectResponseMatches('POST', SESSION, undecodable);
  });

  it('429: over the rate limit, with Retry-After', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_MAX: '1' } });
    try {
      expect((await postSession(limited.baseUrl, aProfile().build())).status).to.equal(201);
      const response = await postSession(limited.baseUrl, aProfile().build());
      expect(response.status).to.equal(429);
      contract.expectResponseMatches('POST', SESSION, response);
    } finally {
      await limited.stop();
    }
  });

  it('503: PostgreSQL unreachable, with Retry-After; /readyz 503 too', async () => {
    const closedPort = await freePort();
    const broken = await startTestApp({ env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/none`, MIGRATE_ON_START: 'false' } });
    try {
      const response = await postSession(broken.baseUrl, aProfile().build());
      expect(response.status).to.equal(503);
      contract.expectResponseMatches('POST', SESSION, response);
      const readiness = await send(broken.baseUrl, { path: '/readyz' });
      expect(readiness.status).to.equal(503);
      contract.expectResponseMatches('GET', '/readyz', readiness);
    } finally {
      await broken.stop();
    }
  });

  it('204: DELETE /livechat/guest, its cookies expired', async () => {
    const response = await send(app.baseUrl, { method: 'DELETE', path: '/livechat/guest' });
    expect(response.status).to.equal(204);
    contract.expectResponseMatches('DELETE', '/livechat/guest', response);
  });

  for (const path of ['/.well-known/jwks.json', '/healthz', '/readyz', '/metrics', '/openapi.json']) {
    it(`GET ${path}`, async () => {
      const response = await send(app.baseUrl, { path });
      expect(response.status).to.equal(200);
      contract.expectResponseMatches('GET', path, response);
    });
  }

  it('GET /livechat and its assets: 200, then an empty 304 for a matching If-None-Match; 404 for an unknown asset', async () => {
    const page = await send(app.baseUrl, { path: '/livechat' });
    expect(page.status).to.equal(200);
    contract.expectResponseMatches('GET', '/livechat', page);
    const revalidated = await send(app.baseUrl, { path: '/livechat', headers: { 'if-none-match': String(page.headers.etag) } });
    expect(revalidated.status).to.equal(304);
    contract.expectResponseMatches('GET', '/livechat', revalidated);

    const assets = [...page.text.matchAll(/"(\/livechat\/assets\/[^"]+)"/g)].map(([, url]) => url!);
    expect(assets).to.have.length(3);
    for (const url of assets) {
      const asset = await send(app.baseUrl, { path: url });
      expect(asset.status, url).to.equal(200);
      contract.expectResponseMatches('GET', '/livechat/assets/{file}', asset);
      const again = await send(app.baseUrl, { path: url, headers: { 'if-none-match': String(asset.headers.etag) } });
      expect(again.status, url).to.equal(304);
      contract.expectResponseMatches('GET', '/livechat/assets/{file}', again);
    }
    const unknown = await send(app.baseUrl, { path: '/livechat/assets/app.0000.js' });
    expect(unknown.status).to.equal(404);
    contract.expectResponseMatches('GET', '/livechat/assets/{file}', unknown);
  });

  it("any path's own failures (405 with Allow, 417) match every operation's default response", async () => {
    const wrongMethod = await send(app.baseUrl, { path: SESSION });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.headers.allow).to.equal('POST, OPTIONS');
    // The path documents no GET: the 405 is what its operation, POST, documents as its default.
    contract.expectResponseMatches('POST', SESSION, wrongMethod);
    for (const path of ['/healthz', '/.well-known/jwks.json', '/openapi.json']) {
      const unmet = await send(app.baseUrl, { path, headers: { expect: 'teapot' } });
      expect(unmet.status, path).to.equal(417);
      contract.expectResponseMatches('GET', path, unmet);
    }
    const document = contract.document as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) expect(operation.responses, `${method} ${path}`).to.have.property('default');
    }
  });

  it('GET /openapi.json: an empty 304 for a matching If-None-Match', async () => {
    const response = await send(app.baseUrl, { path: '/openapi.json' });
    const revalidated = await send(app.baseUrl, { path: '/openapi.json', headers: { 'if-none-match': String(response.headers.etag) } });
    expect(revalidated.status).to.equal(304);
    contract.expectResponseMatches('GET', '/openapi.json', revalidated);
  });

  it('serves the document it is checked against', async () => {
    const response = await send(app.baseUrl, { path: '/openapi.json' });
    expect(response.json).to.deep.equal(contract.document);
  });
});
