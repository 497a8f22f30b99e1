import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import type { Context } from 'koa';
import { DEFAULT_LOCALE, type Locale } from '../messages/locale.js';

/**
 * English when Accept-Language prefers it over Indonesian; Indonesian otherwise. `in` is Indonesian's withdrawn
 * ISO 639 code, which older Java and Android runtimes still send.
 */
export const localeOfRequest = (request: Pick<IncomingMessage, 'headers'>): Locale =>
  accepts(request as IncomingMessage).languages('id', 'in', 'en') === 'en' ? 'en' : DEFAULT_LOCALE;

export const localeOf = (ctx: Context): Locale => localeOfRequest(ctx.req);
