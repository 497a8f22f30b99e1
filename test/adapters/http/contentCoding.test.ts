import { expect } from 'chai';
import { preferredCoding } from '../../../src/adapters/http/contentCoding.js';

describe('preferredCoding (the content coding a stored body is sent in, from Accept-Encoding)', () => {
  const both = ['br', 'gzip'] as const;

  it('prefers brotli to gzip when the client weighs them alike, whatever order it lists them in', () => {
    expect(preferredCoding('gzip, deflate, br', both), "Chromium's").to.equal('br');
    expect(preferredCoding('gzip, deflate, br, zstd', both), "newer Chromium's").to.equal('br');
    expect(preferredCoding('gzip, br', both)).to.equal('br');
    expect(preferredCoding('gzip;q=0.5, br;q=0.5', both)).to.equal('br');
    expect(preferredCoding('gzip, br, identity', both), 'three alike, ours in the middle').to.equal('br');
    expect(preferredCoding('GZIP, BR', both), 'names in any case').to.equal('br');
  });

  it("follows the client's q-values over our order", () => {
    expect(preferredCoding('br;q=0.5, gzip', both)).to.equal('gzip');
    expect(preferredCoding('gzip;q=0.9, br;q=0.1', both)).to.equal('gzip');
    expect(preferredCoding('identity, gzip;q=0.9', both), 'identity ranked above gzip').to.equal(undefined);
  });

  it('reads * as every coding not named, and a name over *', () => {
    expect(preferredCoding('*', both)).to.equal('br');
    expect(preferredCoding('br;q=0, *', both)).to.equal('gzip');
    expect(preferredCoding('gzip, *;q=0.1', both)).to.equal('gzip');
    expect(preferredCoding('*;q=0', both), 'nothing acceptable').to.equal(undefined);
  });

  it('sends a coding that the client accepts when it refuses the body as it is', () => {
    expect(preferredCoding('gzip, identity;q=0', both)).to.equal('gzip');
    expect(preferredCoding('br, identity;q=0', ['gzip']), 'nothing it accepts is stored: as it is after all').to.equal(undefined);
  });

  it('sends the body as it is without the header, with an empty one, or for codings it does not hold', () => {
    expect(preferredCoding(undefined, both)).to.equal(undefined);
    expect(preferredCoding('', both)).to.equal(undefined);
    expect(preferredCoding('deflate', both)).to.equal(undefined);
    expect(preferredCoding('br', ['gzip'])).to.equal(undefined);
    expect(preferredCoding('gzip, br', [])).to.equal(undefined);
  });
});
