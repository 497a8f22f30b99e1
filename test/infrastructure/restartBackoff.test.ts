import { expect } from 'chai';
import { RestartBackoff } from '../../src/infrastructure/restartBackoff.js';

const NEVER_LISTENED = undefined;
const SLOT = 0;
const OTHER_SLOT = 1;

describe('RestartBackoff (pauses before replacing a dead cluster worker)', () => {
  it('replaces a worker that had been serving at once, then pauses twice as long each time, up to 30 s', () => {
    const backoff = new RestartBackoff();
    expect(backoff.pauseAfter(SLOT, 3_600_000)).to.equal(0);
    const pauses = Array.from({ length: 8 }, () => backoff.pauseAfter(SLOT, NEVER_LISTENED));
    expect(pauses).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('keeps pausing for a worker that served only briefly, and starts over after one that served a minute', () => {
    const backoff = new RestartBackoff();
    backoff.pauseAfter(SLOT, 3_600_000);
    backoff.pauseAfter(SLOT, NEVER_LISTENED);
    expect(backoff.pauseAfter(SLOT, 5_000)).to.equal(2_000);
    expect(backoff.pauseAfter(SLOT, 60_000)).to.equal(0);
    expect(backoff.pauseAfter(SLOT, NEVER_LISTENED)).to.equal(1_000);
  });

  it("keeps each worker slot's run apart: a long-serving worker's death neither ends nor lengthens another's crash loop", () => {
    const backoff = new RestartBackoff();
    backoff.pauseAfter(SLOT, 3_600_000);
    backoff.pauseAfter(SLOT, NEVER_LISTENED);
    backoff.pauseAfter(SLOT, NEVER_LISTENED);
    // The other worker had served for an hour: replaced at once, and the crash loop keeps its pace.
    expect(backoff.pauseAfter(OTHER_SLOT, 3_600_000)).to.equal(0);
    expect(backoff.pauseAfter(SLOT, NEVER_LISTENED)).to.equal(4_000);
    // Its replacement dying at once starts its own run, at 1 s, not at the crash loop's 8 s.
    expect(backoff.pauseAfter(OTHER_SLOT, NEVER_LISTENED)).to.equal(1_000);
  });
});
