import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { fingerprint } from '../../../src/adapters/http/fingerprint.js';
import { MIN_COMPRESSED_BYTES, precompress } from '../../../src/adapters/http/precompressedBody.js';

describe('precompress (a fixed body in each coding worth sending)', () => {
  const text = 'Selamat datang di obrolan Suara Pendengar. '.repeat(40);

  it('holds brotli, then gzip, each decoding to the body, with its own ETag', () => {
    const body = precompress(text);
    const tag = fingerprint(text);
    expect(body.identity.bytes.toString('utf8')).to.equal(text);
    expect(body.identity.etag).to.equal(`"${tag}"`);
    expect([...body.coded.keys()]).to.deep.equal(['br', 'gzip']);
    expect(brotliDecompressSync(body.coded.get('br')!.bytes).toString('utf8')).to.equal(text);
    expect(gunzipSync(body.coded.get('gzip')!.bytes).toString('utf8')).to.equal(text);
    expect(body.coded.get('br')!.etag).to.equal(`"${tag}-br"`);
    expect(body.coded.get('gzip')!.etag).to.equal(`"${tag}-gzip"`);
  });

  it('leaves a body under the threshold as it is, and compresses one at the threshold', () => {
    expect(precompress('x'.repeat(MIN_COMPRESSED_BYTES - 1)).coded.size).to.equal(0);
    expect(precompress('x'.repeat(MIN_COMPRESSED_BYTES)).coded.size).to.equal(2);
  });
});
