import type { Context } from 'koa';
import type { ListenerProfile } from '../../domain/listenerProfile.js';
import { PROFILE_FIELDS, type ProfileField } from '../../domain/profileRules.js';
import { cookieRemoval, cookieTemplate, ONE_YEAR_SECONDS } from './cookiePolicy.js';

/** Cookie names the chat page reads to prefill its form. */
export const PROFILE_COOKIE_NAMES: Readonly<Record<ProfileField, string>> = {
  name: 'livechat_name',
  city: 'livechat_city',
  country: 'livechat_country',
};

const profileOptions = (secure: boolean) => ({ path: '/', sameSite: 'lax', secure, httpOnly: false }) as const;
const profileTemplates = (secure: boolean): Readonly<Record<ProfileField, (value: string) => string>> => {
  const options = { ...profileOptions(secure), maxAge: ONE_YEAR_SECONDS };
  return {
    name: cookieTemplate(PROFILE_COOKIE_NAMES.name, options),
    city: cookieTemplate(PROFILE_COOKIE_NAMES.city, options),
    country: cookieTemplate(PROFILE_COOKIE_NAMES.country, options),
  };
};
const SECURE = profileTemplates(true);
const PLAIN = profileTemplates(false);
const removals = (secure: boolean): readonly string[] =>
  PROFILE_FIELDS.map((field) => cookieRemoval(PROFILE_COOKIE_NAMES[field], profileOptions(secure)));
const SECURE_REMOVALS = removals(true);
const PLAIN_REMOVALS = removals(false);

/**
 * The profile, for the page's own script to prefill the form next time: readable by JavaScript by design,
 * so it holds nothing but what the listener typed, URL-encoded.
 */
export const profileCookieHeaders = (profile: ListenerProfile, secure: boolean): string[] => {
  const templates = secure ? SECURE : PLAIN;
  return PROFILE_FIELDS.map((field) => templates[field](profile[field]));
};

/** Expires the profile cookies at once, so the page has nothing to prefill its form with. */
export const profileCookieRemovalHeaders = (secure: boolean): readonly string[] => (secure ? SECURE_REMOVALS : PLAIN_REMOVALS);

export const appendCookies = (ctx: Context, headers: readonly string[]): void => {
  ctx.append('Set-Cookie', [...headers]);
};
