import { expect } from 'chai';
import { figureBeside } from '../../bench/verdictFigure.js';

describe('figureBeside (the bench\'s figures printed beside their targets)', () => {
  it('prints the figure with the digits asked for when rounding keeps it on its side of the line', () => {
    expect(figureBeside(8.64, 10, 1)).to.equal('8.6');
    expect(figureBeside(81.84, 80, 1)).to.equal('81.8');
    expect(figureBeside(2.5234, 2, 2)).to.equal('2.52');
  });

  it('adds digits where rounding would carry a figure under the line onto it', () => {
    expect(figureBeside(9.96, 10, 1)).to.equal('9.96');
    expect(figureBeside(9.9996, 10, 1)).to.equal('9.9996');
    expect(figureBeside(79.96, 80, 1)).to.equal('79.96');
    expect(figureBeside(1.9951, 2, 2)).to.equal('1.995');
  });

  it('keeps a figure on the line as it is: the line itself is met by "at least" and missed by "under"', () => {
    expect(figureBeside(10, 10, 1)).to.equal('10.0');
    expect(figureBeside(80, 80, 1)).to.equal('80.0');
  });

  it('lets a figure just over the line round onto it: the line stays on the same side of either verdict', () => {
    expect(figureBeside(10.04, 10, 1)).to.equal('10.0');
    expect(figureBeside(80.04, 80, 1)).to.equal('80.0');
  });
});
