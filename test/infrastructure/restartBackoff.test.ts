import { expect } from 'chai';
import { RestartBackoff } from '../../src/infrastructure/restartBackoff.js';

const NEVER_LISTENED = undefined;

describe('RestartBackoff (pauses before replacing a dead cluster worker)', () => {
  it('replaces a worker that had been serving at once, then pauses twice as long each time, up to 30 s', () => {
    const backoff = new RestartBackoff();
    expect(backoff.pauseAfter(3_600_000)).to.equal(0);
    const pauses = Array.from({ length: 8 }, () => backoff.pauseAfter(NEVER_LISTENED));
    expect(pauses).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('keeps pausing for a worker that served only briefly, and starts over after one that served a minute', () => {
    const backoff = new RestartBackoff();
    backoff.pauseAfter(3_600_000);
    backoff.pauseAfter(NEVER_LISTENED);
    expect(backoff.pauseAfter(5_000)).to.equal(2_000);
    expect(backoff.pauseAfter(60_000)).to.equal(0);
    expect(backoff.pauseAfter(NEVER_LISTENED)).to.equal(1_000);
  });
});
