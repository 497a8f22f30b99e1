import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { parse as parseContentType } from 'content-type';
import { RequestError } from './requestError.js';

export const JSON_BODY_LIMIT_BYTES = 16 * 1024;
/** The content codings the body parser decodes, as a 415 names them (RFC 7694). */
export const ACCEPTED_CONTENT_ENCODINGS = 'gzip, deflate, br';

/**
 * A compressed body that does not decompress: zlib's errors (`Z_DATA_ERROR`, `Z_BUF_ERROR` for one cut short) and
 * brotli's (`ERR__ERROR_FORMAT_…`). They carry no HTTP status, unlike the parser's own.
 */
const isDecompressionError = (code: unknown): boolean =>
  typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR_'));

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
    const { status, type, code } = error as { status?: unknown; type?: unknown; code?: unknown };
    // The body stopped coming: the client went away, or took too long and was answered 408 by the server
    // (answerClientError). Nobody reads this answer; the access line says the request never arrived whole.
    if (type === 'request.aborted') throw new RequestError('request_timeout');
    if (status === 413) throw new RequestError('payload_too_large');
    // The Content-Type was checked before parsing: what the parser refuses with 415 is the Content-Encoding.
    if (status === 415) throw new RequestError('unsupported_content_encoding', {}, { 'Accept-Encoding': ACCEPTED_CONTENT_ENCODINGS });
    if (isDecompressionError(code)) throw new RequestError('undecodable_body');
    throw new RequestError('malformed_body');
  },
};
const parse = bodyParser(options);

// JSON exchanged between systems is UTF-8 (RFC 8259), and the body is decoded as such: a body declared in
// another charset would be misread, so it is refused rather than guessed at. ASCII is a subset of UTF-8.
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * Whether the header is `application/json`, in UTF-8 or with no charset, read as strictly as the body parser reads
 * it: a header it cannot parse (`application/json; charset`, `…;;charset=utf-8`) would have it skip the body
 * silently, and the fields the client sent would be reported missing.
 */
const isUtf8Json = (header: string): boolean => {
  let parsed;
  try {
    parsed = parseContentType(header);
  } catch {
    return false;
  }
  const charset = parsed.parameters.charset;
  return parsed.type === 'application/json' && (charset === undefined || UTF8_CHARSETS.has(charset.toLowerCase()));
};

// Content codings are case-insensitive, and `x-gzip` is gzip (RFC 9110, 8.4.1); the parser knows only the
// lower-case names.
const normalizedCoding = (declared: string): string => {
  const coding = declared.trim().toLowerCase();
  return coding === 'x-gzip' ? 'gzip' : coding;
};

/**
 * Accepts only `application/json` in UTF-8 (with or without the charset parameter), at most 16 KiB once
 * decompressed, and parses it.
 */
export const jsonBody: Middleware = async (ctx, next) => {
  // The header alone decides: `ctx.is` answers null for a request without a body, and a JSON POST sent with
  // no body at all is missing its fields (422), not of the wrong type (415).
  if (!isUtf8Json(ctx.get('Content-Type'))) throw new RequestError('unsupported_media_type');
  const declaredCoding = ctx.req.headers['content-encoding'];
  if (declaredCoding !== undefined) ctx.req.headers['content-encoding'] = normalizedCoding(declaredCoding);
  // The server leaves `Expect: 100-continue` to this point, so that a client is asked for its body only once it
  // will be read. The parser refuses an uncompressed body declared over the limit before reading it, but by then
  // the client would have been asked for it; a compressed one is measured as it is decompressed.
  if (ctx.req.headers.expect?.toLowerCase() === '100-continue') {
    if (declaredCoding === undefined && Number(ctx.req.headers['content-length']) > JSON_BODY_LIMIT_BYTES) throw new RequestError('payload_too_large');
    ctx.res.writeContinue();
  }
  await parse(ctx, next);
};
