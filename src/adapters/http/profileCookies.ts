import { serialize } from 'cookie';
import type { Context } from 'koa';
import type { ListenerProfile } from '../../domain/listenerProfile.js';
import { PROFILE_FIELDS, type ProfileField } from '../../domain/profileRules.js';
import { ONE_YEAR_SECONDS } from './cookiePolicy.js';

/** Cookie names the chat page reads to prefill its form. */
export const PROFILE_COOKIE_NAMES: Readonly<Record<ProfileField, string>> = {
  name: 'livechat_name',
  city: 'livechat_city',
  country: 'livechat_country',
};

/**
 * The profile, for the page's own script to prefill the form next time: readable by JavaScript by design,
 * so it holds nothing but what the listener typed, URL-encoded.
 */
export const profileCookieHeaders = (profile: ListenerProfile, secure: boolean): string[] =>
  PROFILE_FIELDS.map((field) =>
    serialize(PROFILE_COOKIE_NAMES[field], profile[field], {
      maxAge: ONE_YEAR_SECONDS,
      path: '/',
      sameSite: 'lax',
      secure,
      httpOnly: false,
    }),
  );

export const appendCookies = (ctx: Context, headers: readonly string[]): void => {
  for (const header of headers) ctx.append('Set-Cookie', header);
};
