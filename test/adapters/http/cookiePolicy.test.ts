import { expect } from 'chai';
import { serialize } from 'cookie';
import { cookieTemplate, ONE_YEAR_SECONDS } from '../../../src/adapters/http/cookiePolicy.js';

describe('cookieTemplate', () => {
  it('writes exactly what cookie.serialize writes, for any value and attribute set', () => {
    const optionSets = [
      { maxAge: ONE_YEAR_SECONDS, path: '/', sameSite: 'lax', secure: false, httpOnly: false },
      { maxAge: ONE_YEAR_SECONDS, path: '/livechat', sameSite: 'lax', secure: true, httpOnly: true },
    ] as const;
    const values = ['Budi', 'Nguyễn Văn An', '李小龍', "O'Brien", 'Jean-Luc', 'a;b=c d,e%', '0190a5b2-7c1e-7000-8000-000000000000.sig_-'];
    for (const options of optionSets) {
      const template = cookieTemplate('livechat_name', options);
      for (const value of values) expect(template(value), value).to.equal(serialize('livechat_name', value, options));
    }
  });
});
