import type { Middleware } from 'koa';
import type { StartSession } from '../../application/startSession.js';
import { PROFILE_FIELDS } from '../../domain/profileRules.js';
import { captchaErrorMessages } from '../messages/captchaMessages.js';
import { profileErrorMap } from '../messages/profileMessages.js';
import { startedSessionView } from '../views/startedSessionView.js';
import { clientAddressOf } from './clientAddress.js';
import { isSecureCookie, type CookieSecurity } from './cookiePolicy.js';
import type { GuestCookie } from './guestCookie.js';
import type { HttpMetrics } from './httpMetrics.js';
import { localeOf } from './locale.js';
import { appendCookies, profileCookieHeaders } from './profileCookies.js';
import { RequestError } from './requestError.js';

export interface SessionControllerOptions {
  readonly startSession: StartSession;
  readonly guestCookie: GuestCookie;
  readonly cookieSecurity: CookieSecurity;
  readonly metrics: HttpMetrics;
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** POST /livechat/session: the profile in, a session token and the prefill cookies out. */
export const startSessionHandler = ({ startSession, guestCookie, cookieSecurity, metrics }: SessionControllerOptions): Middleware =>
  async (ctx) => {
    // An empty body is an empty form: the listener hears which fields are required, not that JSON is missing.
    // The raw text tells it apart from the JSON string "", which the parser also yields as ''.
    const body: unknown = ctx.request.rawBody === '' ? {} : ctx.request.body;
    if (!isJsonObject(body)) {
      metrics.validationFailed('body');
      throw new RequestError('not_an_object');
    }

    // Only the three profile fields (and the captcha) travel inward: unknown extra fields are ignored, never stored.
    const outcome = await startSession.execute({
      profile: { name: body.name, city: body.city, country: body.country },
      returningGuestId: guestCookie.read(ctx),
      captchaToken: body.captchaToken,
      clientAddress: clientAddressOf(ctx),
    });
    if (!outcome.ok) {
      const locale = localeOf(ctx);
      const { captchaToken, ...profileErrors } = outcome.error;
      ctx.vary('Accept-Language');
      for (const field of PROFILE_FIELDS) if (outcome.error[field] !== undefined) metrics.validationFailed(field);
      if (captchaToken !== undefined) metrics.validationFailed('captchaToken');
      ctx.status = 422;
      ctx.body = {
        errors: {
          ...profileErrorMap(locale, profileErrors),
          ...(captchaToken === undefined ? {} : { captchaToken: captchaErrorMessages(locale, captchaToken) }),
        },
      };
      return;
    }

    const { session } = outcome.value;
    const secure = isSecureCookie(ctx, cookieSecurity);
    appendCookies(ctx, [...profileCookieHeaders(session.profile, secure), guestCookie.header(session.userId, secure)]);
    ctx.set('Cache-Control', 'no-store');
    metrics.sessionCreated();
    ctx.status = 201;
    ctx.body = startedSessionView(outcome.value);
  };
