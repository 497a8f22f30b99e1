import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { is as mediaTypeIs } from 'type-is';
import { RequestError } from './requestError.js';

export const JSON_BODY_LIMIT_BYTES = 16 * 1024;

// onProtoPoisoning is co-body's own option, which koa-bodyparser passes on but its typings do not list.
const options: bodyParser.Options & { readonly onProtoPoisoning: 'remove' } = {
  enableTypes: ['json'],
  jsonLimit: `${JSON_BODY_LIMIT_BYTES}b`,
  // Any JSON value is parsed, so that a body which is valid JSON but not an object gets a 422, not a 400.
  strict: false,
  // A `__proto__` key is dropped, as any other unknown field is ignored: the body is valid JSON, and dropping
  // it (rather than assigning it) keeps it from reaching any object's prototype.
  onProtoPoisoning: 'remove',
  onerror: (error) => {
    const { status, type } = error as { status?: unknown; type?: unknown };
    // The body stopped coming: the client went away, or took too long and was answered 408 by the server
    // (answerClientError). Nobody reads this answer; the access line says the request never arrived whole.
    if (type === 'request.aborted') throw new RequestError('request_timeout');
    if (status === 413) throw new RequestError('payload_too_large');
    if (status === 415) throw new RequestError('unsupported_media_type');
    throw new RequestError('malformed_body');
  },
};
const parse = bodyParser(options);

// JSON exchanged between systems is UTF-8 (RFC 8259), and the body is decoded as such: a body declared in
// another charset would be misread, so it is refused rather than guessed at. ASCII is a subset of UTF-8.
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
// Found however the rest of the header is written: a strict parser gives up on a stray `;` and would let the
// charset through unseen.
const DECLARED_CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

const isUtf8 = (contentType: string): boolean => {
  const charset = DECLARED_CHARSET.exec(contentType)?.[1];
  return charset === undefined || UTF8_CHARSETS.has(charset.toLowerCase());
};

/** Accepts only `application/json` in UTF-8 (with or without the charset parameter), at most 16 KiB, and parses it. */
export const jsonBody: Middleware = async (ctx, next) => {
  // The header alone decides: `ctx.is` answers null for a request without a body, and a JSON POST sent with
  // no body at all is missing its fields (422), not of the wrong type (415).
  const contentType = ctx.get('Content-Type');
  if (mediaTypeIs(contentType, ['application/json']) !== 'application/json' || !isUtf8(contentType)) {
    throw new RequestError('unsupported_media_type');
  }
  await parse(ctx, next);
};
