import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { assetUrls, startPage } from '../../../support/chatPageServer.js';
import { send, type TestResponse } from '../../../support/httpClient.js';

const CHROMIUM = 'gzip, deflate, br';
const IMMUTABLE = 'public, max-age=31536000, immutable';

const decoded = (response: TestResponse): string => {
  const coding = response.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(response.bytes).toString('utf8');
  if (coding === 'gzip') return gunzipSync(response.bytes).toString('utf8');
  expect(coding, 'no other coding').to.equal(undefined);
  return response.text;
};

describe('chat page compression (its HTML and assets in the coding the client prefers)', () => {
  let page: Awaited<ReturnType<typeof startPage>>;
  /** Every compressible body the page serves, by path, with the headers it has as it is. */
  const texts: { path: string; cacheControl: string; language?: string }[] = [];
  let icon: string;

  before(async () => {
    page = await startPage();
    for (const language of ['id', 'en']) {
      const html = await send(page.baseUrl, { path: '/livechat', headers: { 'accept-language': language } });
      const { style, script } = assetUrls(html.text);
      texts.push({ path: '/livechat', cacheControl: 'no-cache', language }, { path: script, cacheControl: IMMUTABLE });
      if (language === 'id') {
        texts.push({ path: style, cacheControl: IMMUTABLE });
        icon = assetUrls(html.text).icon;
      }
    }
  });
  after(async () => {
    await page.close();
  });

  const get = (text: (typeof texts)[number], headers: Record<string, string> = {}, method = 'GET'): Promise<TestResponse> =>
    send(page.baseUrl, { method, path: text.path, headers: { 'accept-language': text.language ?? 'id', ...headers } });

  it("sends brotli to Chromium, gzip to a client without brotli, each decoding to the identity body, headers unchanged", async () => {
    expect(texts).to.have.length(5);
    for (const text of texts) {
      const identity = await get(text);
      expect(identity.headers['content-encoding'], text.path).to.equal(undefined);
      for (const [acceptEncoding, coding] of [
        [CHROMIUM, 'br'],
        ['gzip', 'gzip'],
        ['br;q=0.5, gzip', 'gzip'],
        ['*', 'br'],
      ] as const) {
        const label = `${text.path} for ${acceptEncoding}`;
        const coded = await get(text, { 'accept-encoding': acceptEncoding });
        expect(coded.status, label).to.equal(200);
        expect(coded.headers['content-encoding'], label).to.equal(coding);
        expect(decoded(coded), label).to.equal(identity.text);
        expect(coded.bytes.length, label).to.be.lessThan(identity.bytes.length);
        expect(coded.headers['content-length'], label).to.equal(String(coded.bytes.length));
        expect(coded.headers['content-type'], label).to.equal(identity.headers['content-type']);
        expect(coded.headers['cache-control'], label).to.equal(text.cacheControl);
      }
    }
  });

  it('says that every answer depends on Accept-Encoding, beside Accept-Language for the page, the identity one too', async () => {
    for (const text of texts) {
      const expected = text.path === '/livechat' ? 'Accept-Language, Accept-Encoding' : 'Accept-Encoding';
      expect((await get(text)).headers.vary, text.path).to.equal(expected);
      expect((await get(text, { 'accept-encoding': CHROMIUM })).headers.vary, text.path).to.equal(expected);
    }
  });

  it('gives each coding its own strong ETag, tied to the identity one', async () => {
    for (const text of texts) {
      const identity = String((await get(text)).headers.etag);
      expect(identity, text.path).to.match(/^"[\w-]{16}"$/);
      expect((await get(text, { 'accept-encoding': 'br' })).headers.etag, text.path).to.equal(`${identity.slice(0, -1)}-br"`);
      expect((await get(text, { 'accept-encoding': 'gzip' })).headers.etag, text.path).to.equal(`${identity.slice(0, -1)}-gzip"`);
    }
  });

  it("answers 304 only to the ETag of the coding it would send, with that ETag and Vary and no Content-Encoding", async () => {
    for (const text of texts) {
      const tags = {
        identity: String((await get(text)).headers.etag),
        br: String((await get(text, { 'accept-encoding': 'br' })).headers.etag),
        gzip: String((await get(text, { 'accept-encoding': 'gzip' })).headers.etag),
      };
      for (const [acceptEncoding, coding] of [
        [CHROMIUM, 'br'],
        ['gzip', 'gzip'],
        ['', 'identity'],
      ] as const) {
        const label = `${text.path} for ${acceptEncoding}`;
        const revalidated = await get(text, { 'accept-encoding': acceptEncoding, 'if-none-match': tags[coding] });
        expect(revalidated.status, label).to.equal(304);
        expect(revalidated.bytes.length, label).to.equal(0);
        expect(revalidated.headers.etag, label).to.equal(tags[coding]);
        expect(revalidated.headers.vary, label).to.include('Accept-Encoding');
        expect(revalidated.headers['content-encoding'], label).to.equal(undefined);
        expect(revalidated.headers['cache-control'], label).to.equal(text.cacheControl);
        for (const other of (['identity', 'br', 'gzip'] as const).filter((name) => name !== coding)) {
          const stale = await get(text, { 'accept-encoding': acceptEncoding, 'if-none-match': tags[other] });
          expect(stale.status, `${label}, holding ${other}`).to.equal(200);
          expect(stale.headers['content-encoding'], `${label}, holding ${other}`).to.equal(coding === 'identity' ? undefined : coding);
        }
      }
    }
  });

  it('answers HEAD with the coded length and coding, and no body', async () => {
    for (const text of texts) {
      const full = await get(text, { 'accept-encoding': CHROMIUM });
      const head = await get(text, { 'accept-encoding': CHROMIUM }, 'HEAD');
      expect(head.status, text.path).to.equal(200);
      expect(head.bytes.length, text.path).to.equal(0);
      expect(head.headers['content-encoding'], text.path).to.equal('br');
      expect(head.headers['content-length'], text.path).to.equal(String(full.bytes.length));
      expect(head.headers.etag, text.path).to.equal(full.headers.etag);
    }
  });

  it('sends a coding the client accepts when it refuses identity, and the body as it is when it accepts none held', async () => {
    const [html] = texts;
    expect((await get(html!, { 'accept-encoding': 'gzip, identity;q=0' })).headers['content-encoding']).to.equal('gzip');
    for (const acceptEncoding of ['identity;q=0', 'deflate', '*;q=0']) {
      const response = await get(html!, { 'accept-encoding': acceptEncoding });
      expect(response.status, acceptEncoding).to.equal(200);
      expect(response.headers['content-encoding'], acceptEncoding).to.equal(undefined);
      expect(response.text, acceptEncoding).to.include('<html lang="id">');
    }
  });

  it('sends the icon as it is: too small for compression to help, so its answer varies on nothing', async () => {
    const response = await send(page.baseUrl, { path: icon, headers: { 'accept-encoding': CHROMIUM } });
    expect(response.status).to.equal(200);
    expect(response.headers['content-encoding']).to.equal(undefined);
    expect(response.headers.vary).to.equal(undefined);
    expect(response.text).to.match(/^<svg/);
    expect(response.headers['cache-control']).to.equal(IMMUTABLE);
  });
});
