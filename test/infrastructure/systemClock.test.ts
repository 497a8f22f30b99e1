import { expect } from 'chai';
import { uuidV7Generator } from '../../src/infrastructure/systemClock.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV7Generator', () => {
  it('makes version-7 UUIDs, all different, across several refills of its random pool', () => {
    const ids = Array.from({ length: 1_000 }, () => uuidV7Generator.next());
    for (const id of ids) expect(id).to.match(UUID_V7);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(new Set(ids.map((id) => id.slice(-12))).size).to.equal(ids.length);
  });

  it('puts the current time in the first 48 bits, so ids sort by creation time', () => {
    const before = Date.now();
    const id = uuidV7Generator.next();
    const after = Date.now();
    const millis = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(millis).to.be.within(before, after);
  });
});
