import { expect } from 'chai';
import { rateLimitKey } from '../../../src/adapters/http/clientAddress.js';

describe('rateLimitKey', () => {
  it('counts an IPv4 client by its address', () => {
    expect(rateLimitKey('203.0.113.7')).to.equal('203.0.113.7');
  });

  it('counts an IPv4-mapped IPv6 client as the IPv4 address', () => {
    expect(rateLimitKey('::ffff:203.0.113.7')).to.equal('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one client', () => {
    const a = rateLimitKey('2001:db8:abcd:12:1::1');
    const b = rateLimitKey('2001:0db8:abcd:0012:ffff:ffff:ffff:fffe');
    expect(a).to.equal('2001:db8:abcd:12::/64');
    expect(b).to.equal(a);
    expect(rateLimitKey('2001:db8:abcd:13::1')).to.not.equal(a);
  });

  it('leaves out the port a proxy appended, so that a new connection is not a new client', () => {
    expect(rateLimitKey('203.0.113.7:51234')).to.equal('203.0.113.7');
    expect(rateLimitKey('[2001:db8:abcd:12::1]:443')).to.equal('2001:db8:abcd:12::/64');
    expect(rateLimitKey('[2001:db8:abcd:12::2]')).to.equal('2001:db8:abcd:12::/64');
    expect(rateLimitKey('[::ffff:203.0.113.7]:8080')).to.equal('203.0.113.7');
  });

  it('keeps what is not an address as it is', () => {
    expect(rateLimitKey('unknown')).to.equal('unknown');
    expect(rateLimitKey('203.0.113.7:port')).to.equal('203.0.113.7:port');
  });
});
