import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import Koa from 'koa';
import { NO_METRICS } from '../../../src/adapters/http/httpMetrics.js';
import { introspectionRoutes } from '../../../src/adapters/http/introspectionRoutes.js';
import { serializedOpenApiDocument } from '../../../src/adapters/http/openApiDocument.js';
import { send } from '../../support/httpClient.js';

describe('GET /openapi.json', () => {
  let server: Server;
  let baseUrl: string;
  before(async () => {
    const app = new Koa();
    app.use(introspectionRoutes(NO_METRICS).routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is sent as it is to a client that accepts no coding, saying that it depends on Accept-Encoding', async () => {
    const response = await send(baseUrl, { path: '/openapi.json' });
    expect(response.headers['content-encoding']).to.equal(undefined);
    expect(response.headers.vary).to.equal('Accept-Encoding');
    expect(response.text).to.equal(serializedOpenApiDocument());
  });

  it('is sent in brotli or gzip as the client prefers, decoding to the same document', async () => {
    for (const [acceptEncoding, coding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
    ] as const) {
      const response = await send(baseUrl, { path: '/openapi.json', headers: { 'accept-encoding': acceptEncoding } });
      expect(response.status, acceptEncoding).to.equal(200);
      expect(response.headers['content-encoding'], acceptEncoding).to.equal(coding);
      expect(response.headers['content-type'], acceptEncoding).to.equal('application/json; charset=utf-8');
      expect(response.headers['content-length'], acceptEncoding).to.equal(String(response.bytes.length));
      expect(response.headers.vary, acceptEncoding).to.equal('Accept-Encoding');
      expect(decode(response.bytes).toString('utf8'), acceptEncoding).to.equal(serializedOpenApiDocument());
    }
  });

  it('is tagged per coding and revalidated with an empty 304, so a client never works from an older copy', async () => {
    const tags = new Set<string>();
    for (const acceptEncoding of ['identity', 'gzip', 'br']) {
      const response = await send(baseUrl, { path: '/openapi.json', headers: { 'accept-encoding': acceptEncoding } });
      expect(response.headers['cache-control'], acceptEncoding).to.equal('no-cache');
      const etag = response.headers.etag as string;
      expect(etag, acceptEncoding).to.match(/^"[\w-]+"$/);
      tags.add(etag);
      const again = await send(baseUrl, { path: '/openapi.json', headers: { 'accept-encoding': acceptEncoding, 'if-none-match': etag } });
      expect(again.status, acceptEncoding).to.equal(304);
      expect(again.bytes.length, acceptEncoding).to.equal(0);
    }
    expect(tags.size, 'one tag per coding').to.equal(3);
  });
});
