import { expect } from 'chai';
import type { Context } from 'koa';
import { clientAddressOf, rateLimitKey } from '../../../src/adapters/http/clientAddress.js';

/** What Koa gives as the client's address (`ctx.ip`), behind a proxy whose own address is 10.0.0.1. */
const forwarded = (ip: string): Context => ({ ip, socket: { remoteAddress: '10.0.0.1' } }) as unknown as Context;
const keyOf = (ip: string): string => rateLimitKey(clientAddressOf(forwarded(ip)));

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

  it('keeps what is not an address as it is', () => {
    expect(rateLimitKey('unknown')).to.equal('unknown');
  });
});

describe('clientAddressOf', () => {
  it('leaves out the port a proxy appended, so that a new connection is not a new client', () => {
    expect(keyOf('203.0.113.7:51234')).to.equal('203.0.113.7');
    expect(keyOf('[2001:db8:abcd:12::1]:443')).to.equal('2001:db8:abcd:12::/64');
    expect(keyOf('[2001:db8:abcd:12::2]')).to.equal('2001:db8:abcd:12::/64');
    expect(keyOf('[::ffff:203.0.113.7]:8080')).to.equal('203.0.113.7');
  });

  it('leaves out an IPv6 zone id, which names an interface of the proxy, not the client', () => {
    expect(clientAddressOf(forwarded('2001:db8::1%eth0'))).to.equal('2001:db8::1');
    expect(clientAddressOf(forwarded('[fe80::1%x-1]:443'))).to.equal('fe80::1');
  });

  it('takes the socket\'s address for what is not an address', () => {
    expect(clientAddressOf(forwarded('unknown'))).to.equal('10.0.0.1');
    expect(clientAddressOf(forwarded('203.0.113.7:port'))).to.equal('10.0.0.1');
  });
});
