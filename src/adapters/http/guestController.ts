import type { Middleware } from 'koa';
import { isSecureCookie, type CookieSecurity } from './cookiePolicy.js';
import type { GuestCookie } from './guestCookie.js';
import { appendCookies, profileCookieRemovalHeaders } from './profileCookies.js';

export interface GuestControllerOptions {
  readonly guestCookie: GuestCookie;
  readonly cookieSecurity: CookieSecurity;
}

/**
 * DELETE /livechat/guest: "Not you?" on a shared device. The browser forgets who its listener was, so the
 * next person starts as a new guest with an empty form. What is forgotten lives only in this browser's
 * cookies (the guest and the sessions stay in the database), so no use case is involved.
 */
export const forgetGuestHandler = ({ guestCookie, cookieSecurity }: GuestControllerOptions): Middleware => (ctx) => {
  const secure = isSecureCookie(ctx, cookieSecurity);
  appendCookies(ctx, [...profileCookieRemovalHeaders(secure), guestCookie.removalHeader(secure)]);
  ctx.set('Cache-Control', 'no-store');
  ctx.status = 204;
};
