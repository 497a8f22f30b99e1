import type { Context } from 'koa';
import { DEFAULT_LOCALE, type Locale } from '../messages/locale.js';

/**
 * English when Accept-Language prefers it over Indonesian; Indonesian otherwise. `in` is Indonesian's withdrawn
 * ISO 639 code, which older Java and Android runtimes still send.
 */
export const localeOf = (ctx: Context): Locale => (ctx.acceptsLanguages('id', 'in', 'en') === 'en' ? 'en' : DEFAULT_LOCALE);
