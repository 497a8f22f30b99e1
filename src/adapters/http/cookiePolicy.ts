import type { Context } from 'koa';

export const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** `auto` marks cookies Secure exactly when the request came over HTTPS (as Koa sees it, proxies included). */
export type CookieSecurity = 'auto' | boolean;

export const isSecureCookie = (ctx: Context, security: CookieSecurity): boolean =>
  security === 'auto' ? ctx.secure : security;
