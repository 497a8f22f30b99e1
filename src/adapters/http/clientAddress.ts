import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address by its /64 (one
 * subscriber usually holds a whole /64, so counting single addresses would give them 2^64 quotas).
 */
export const rateLimitKey = (address: string): string => {
  // Most clients: a plain IPv4 address is already its own key, with no parsing on the hot path.
  if (isIPv4(address)) return address;
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':');
  return `${prefix}::/64`;
};
