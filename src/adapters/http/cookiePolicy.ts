import { serialize, type SerializeOptions } from 'cookie';
import type { Context } from 'koa';

export const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** `auto` marks cookies Secure exactly when the request came over HTTPS (as Koa sees it, proxies included). */
export type CookieSecurity = 'auto' | boolean;

export const isSecureCookie = (ctx: Context, security: CookieSecurity): boolean =>
  security === 'auto' ? ctx.secure : security;

/**
 * A Set-Cookie header whose attributes never change: `cookie.serialize` builds and checks them once, and a
 * response only URL-encodes its value (encodeURIComponent's output is always a valid cookie value). On the
 * session endpoint, serializing four cookies per response was about 3 % of a worker's CPU.
 */
export const cookieTemplate = (name: string, options: Omit<SerializeOptions, 'encode'>): ((value: string) => string) => {
  const attributes = serialize(name, '', options).slice(name.length + 1);
  return (value) => `${name}=${encodeURIComponent(value)}${attributes}`;
};

/**
 * The Set-Cookie header that expires a cookie at once. A browser knows a cookie by name, domain and path, so
 * `options` must be those it was set with: a removal on another path would leave the cookie in place.
 */
export const cookieRemoval = (name: string, options: Omit<SerializeOptions, 'encode' | 'maxAge'>): string =>
  serialize(name, '', { ...options, maxAge: 0 });
