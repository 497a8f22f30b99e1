import { isIP, isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Context } from 'koa';

// Some proxies (Azure Application Gateway among them) append the client's port to X-Forwarded-For:
// `203.0.113.7:51234`, `[2001:db8::1]:443`. A new connection brings a new port, so a key with the port in it
// would give every connection a fresh quota.
const BRACKETED_WITH_PORT = /^\[([^\]]+)\](?::\d{1,5})?$/;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;

const withoutPort = (address: string): string =>
  BRACKETED_WITH_PORT.exec(address)?.[1] ?? IPV4_WITH_PORT.exec(address)?.[1] ?? address;

/**
 * The rate-limit key of a client address (as `clientAddressOf` gives it): an IPv4 address as it is, an IPv6
 * address by its /64 (one subscriber usually holds a whole /64, so counting single addresses would give them
 * 2^64 quotas).
 */
export const rateLimitKey = (address: string): string => {
  // Most clients: a plain IPv4 address is already its own key, with no parsing on the hot path.
  if (isIPv4(address)) return address;
  // Node and ipaddr.js may differ on an exotic form; such an address is its own key rather than a thrown error.
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':');
  return `${prefix}::/64`;
};

/**
 * The client's address: the socket's, or with trusted proxies the one the nearest of them appended (Koa's
 * `ctx.ip`), without a port or an IPv6 zone id (which names an interface of the host that saw the address, not
 * the client). When that is not an address at all (a proxy that passes a client's own X-Forwarded-For text on
 * unchecked), the socket's address stands in: the client must not pick its rate-limit key, nor send any text on
 * as its address.
 */
export const clientAddressOf = (ctx: Context): string => {
  const given = ctx.ip;
  if (isIPv4(given)) return given;
  const address = withoutPort(given).replace(/%.*$/s, '');
  return isIP(address) !== 0 ? address : (ctx.socket.remoteAddress ?? '');
};
