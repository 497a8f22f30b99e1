import { expect } from 'chai';
import { requestErrorMessage } from '../../../src/adapters/messages/requestMessages.js';

const waitOf = (locale: 'id' | 'en', retryAfterSeconds: number): string =>
  requestErrorMessage(locale, 'rate_limited', { retryAfterSeconds });

describe('request error messages', () => {
  it('say a rate limit wait with the plural the language wants', () => {
    expect(waitOf('en', 1)).to.equal('Too many requests. Try again in 1 second.');
    expect(waitOf('en', 42)).to.equal('Too many requests. Try again in 42 seconds.');
    expect(waitOf('id', 1)).to.equal('Terlalu banyak permintaan. Coba lagi dalam 1 detik.');
    expect(waitOf('id', 42)).to.equal('Terlalu banyak permintaan. Coba lagi dalam 42 detik.');
  });

  it('say a long wait in minutes from 2 minutes, and in hours from 2 hours, rounded up', () => {
    const waits = [119, 120, 121, 3_601, 7_199, 7_200, 7_201, 86_400].map((seconds) => [seconds, waitOf('en', seconds)]);
    expect(waits).to.deep.equal([
      [119, 'Too many requests. Try again in 119 seconds.'],
      [120, 'Too many requests. Try again in 2 minutes.'],
      [121, 'Too many requests. Try again in 3 minutes.'],
      [3_601, 'Too many requests. Try again in 61 minutes.'],
      [7_199, 'Too many requests. Try again in 120 minutes.'],
      [7_200, 'Too many requests. Try again in 2 hours.'],
      [7_201, 'Too many requests. Try again in 3 hours.'],
      [86_400, 'Too many requests. Try again in 24 hours.'],
    ]);
    expect(waitOf('id', 3_601)).to.equal('Terlalu banyak permintaan. Coba lagi dalam 61 menit.');
    expect(waitOf('id', 7_201)).to.equal('Terlalu banyak permintaan. Coba lagi dalam 3 jam.');
  });
});
