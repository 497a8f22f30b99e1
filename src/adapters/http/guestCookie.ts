import type Keygrip from 'keygrip';
import type { Context } from 'koa';
import { cookieRemoval, cookieTemplate, ONE_YEAR_SECONDS } from './cookiePolicy.js';

export const GUEST_COOKIE_NAME = 'livechat_guest';
const SEPARATOR = '.';

// Every occurrence, found as the cookies library finds the first (`ctx.cookies.get`).
const EVERY_GUEST_COOKIE = new RegExp(`(?:^|;) *${GUEST_COOKIE_NAME}=([^;]*)`, 'g');
const unquoted = (value: string): string => (value.startsWith('"') ? value.slice(1, -1) : value);

const guestOptions = (secure: boolean) => ({ path: '/livechat', sameSite: 'lax', secure, httpOnly: true }) as const;
const SECURE = cookieTemplate(GUEST_COOKIE_NAME, { ...guestOptions(true), maxAge: ONE_YEAR_SECONDS });
const PLAIN = cookieTemplate(GUEST_COOKIE_NAME, { ...guestOptions(false), maxAge: ONE_YEAR_SECONDS });
const SECURE_REMOVAL = cookieRemoval(GUEST_COOKIE_NAME, guestOptions(true));
const PLAIN_REMOVAL = cookieRemoval(GUEST_COOKIE_NAME, guestOptions(false));

/**
 * The guest's identity: `<guestId>.<signature>`, HttpOnly, so a returning guest keeps their userId and
 * nobody can claim someone else's. Keygrip signs with the first secret and accepts any configured one, so
 * a secret can be rotated without logging every guest out.
 */
export class GuestCookie {
  constructor(private readonly keys: Keygrip) {}

  /** The guest id the request proves, or null when the cookie is absent, malformed or forged. */
  read(ctx: Context): string | null {
    const raw = ctx.cookies.get(GUEST_COOKIE_NAME);
    if (raw === undefined) return null;
    const guestId = this.proven(raw);
    if (guestId !== null) return guestId;
    // A browser sends every cookie of that name its domain and path match, the most specific first: one that a
    // sibling subdomain planted would otherwise hide the guest's own, and the returning guest would lose their
    // userId. Looked for only once the first has failed, so the usual single cookie costs nothing more.
    for (const [, value = ''] of [...ctx.get('Cookie').matchAll(EVERY_GUEST_COOKIE)].slice(1)) {
      const another = this.proven(unquoted(value));
      if (another !== null) return another;
    }
    return null;
  }

  private proven(raw: string): string | null {
    const at = raw.lastIndexOf(SEPARATOR);
    if (at <= 0) return null;
    const guestId = raw.slice(0, at);
    const signature = raw.slice(at + 1);
    return this.keys.verify(guestId, signature) ? guestId : null;
  }

  header(guestId: string, secure: boolean): string {
    return (secure ? SECURE : PLAIN)(`${guestId}${SEPARATOR}${this.keys.sign(guestId)}`);
  }

  /** Expires the cookie at once: the browser stops sending it, and its next session is a new guest's. */
  removalHeader(secure: boolean): string {
    return secure ? SECURE_REMOVAL : PLAIN_REMOVAL;
  }
}
