import { expect } from 'chai';
import { median, percentile } from '../../bench/stats.js';

describe('the bench\'s summaries', () => {
  it('takes the nearest-rank percentile: a value that was measured, never one between two', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(hundred, 0.5)).to.equal(50);
    expect(percentile(hundred, 0.99)).to.equal(99);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).to.equal(10);
    expect(percentile([7], 0.01)).to.equal(7);
  });

  it('gives no percentile of nothing', () => {
    expect(percentile([], 0.99)).to.be.NaN;
  });

  it('takes the median of unsorted values, the mean of the middle two when their count is even', () => {
    expect(median([9, 1, 5])).to.equal(5);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
  });
});
