import type { Context } from 'koa';
import { DEFAULT_LOCALE, type Locale } from '../messages/locale.js';

/** English when Accept-Language prefers it over Indonesian; Indonesian otherwise. */
export const localeOf = (ctx: Context): Locale => (ctx.acceptsLanguages('id', 'en') === 'en' ? 'en' : DEFAULT_LOCALE);
