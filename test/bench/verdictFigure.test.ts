import { strict as assert } from 'node:assert';
import { figureBeside } from '../../bench/verdictFigure.js';

describe('figureBeside (the bench\'s figures printed beside their targets)', () => {
  it('prints the figure with the digits asked for when rounding keeps it on its side of the line', () => {
    assert.equal(figureBeside(8.64, 10, 1), '8.6');
    assert.equal(figureBeside(81.84, 80, 1), '81.8');
    assert.equal(figureBeside(2.5234, 2, 2), '2.52');
  });

  it('adds digits where rounding would carry a figure under the line onto it', () => {
    assert.equal(figureBeside(9.96, 10, 1), '9.96');
    assert.equal(figureBeside(9.9996, 10, 1), '9.9996');
    assert.equal(figureBeside(79.96, 80, 1), '79.96');
    assert.equal(figureBeside(1.9951, 2, 2), '1.995');
  });

  it('keeps a figure on the line as it is: the line itself is met by "at least" and missed by "under"', () => {
    assert.equal(figureBeside(10, 10, 1), '10.0');
    assert.equal(figureBeside(80, 80, 1), '80.0');
  });

  it('lets a figure just over the line round onto it: the line stays on the same side of either verdict', () => {
    assert.equal(figureBeside(10.04, 10, 1), '10.0');
    assert.equal(figureBeside(80.04, 80, 1), '80.0');
  });
});
