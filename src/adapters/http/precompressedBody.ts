import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context } from 'koa';
import { CONTENT_CODINGS, preferredCoding, type ContentCoding } from './contentCoding.js';
import { fingerprint } from './fingerprint.js';

/**
 * A body this small goes out in one packet however it is coded: compressing it would save the listener no round trip,
 * only add `Content-Encoding` and a `Vary` that splits every cache's copy in three.
 */
export const MIN_COMPRESSED_BYTES = 1024;

/** One form of a body: as it is, or in a content coding. */
interface Representation {
  readonly coding?: ContentCoding;
  readonly bytes: Buffer;
  /** Strong validator of these bytes: no two forms of a body share one, or a cache could answer for one with another. */
  readonly etag: string;
}

/** A body that never changes while the process runs, in each coding worth sending, all made once at start. */
export interface PrecompressedBody {
  readonly identity: Representation;
  /** Best first, as `CONTENT_CODINGS`; empty for a body too small for compression to help. */
  readonly coded: ReadonlyMap<ContentCoding, Representation>;
}

const compressors: Readonly<Record<ContentCoding, (bytes: Buffer) => Buffer>> = {
  // The slowest, smallest settings: each body is compressed once, at start, and sent many times.
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
};

/** `"abc"` → `"abc-br"`: each coding's own strong tag, still tied to the body's hash. */
const codedEtag = (etag: string, coding: ContentCoding): string => `${etag.slice(0, -1)}-${coding}"`;

/**
 * The coded bytes of each body compressed so far, by the body itself. A process serves a handful of fixed bodies, but
 * may build its HTTP app more than once (the tests build one per case), and brotli at its best takes tens of
 * milliseconds a body: the same body is compressed once per process.
 */
const compressed = new Map<string, ReadonlyMap<ContentCoding, Buffer>>();

const compressedForms = (body: string, bytes: Buffer): ReadonlyMap<ContentCoding, Buffer> => {
  const known = compressed.get(body);
  if (known !== undefined) return known;
  const forms = new Map<ContentCoding, Buffer>();
  for (const coding of CONTENT_CODINGS) forms.set(coding, compressors[coding](bytes));
  compressed.set(body, forms);
  return forms;
};

/**
 * The body in each form worth sending, each with its strong ETag: the body's fingerprint (the hash a fingerprinted
 * asset is named by), and for a coded form that fingerprint with the coding.
 */
export const precompress = (body: string): PrecompressedBody => {
  const bytes = Buffer.from(body, 'utf8');
  const etag = `"${fingerprint(body)}"`;
  const identity: Representation = { bytes, etag };
  const coded = new Map<ContentCoding, Representation>();
  if (bytes.length < MIN_COMPRESSED_BYTES) return { identity, coded };
  for (const [coding, codedBytes] of compressedForms(body, bytes)) coded.set(coding, { coding, bytes: codedBytes, etag: codedEtag(etag, coding) });
  return { identity, coded };
};

const representationFor = (ctx: Context, body: PrecompressedBody): Representation => {
  if (body.coded.size === 0) return body.identity;
  const coding = preferredCoding(ctx.get('Accept-Encoding'), [...body.coded.keys()]);
  return (coding === undefined ? undefined : body.coded.get(coding)) ?? body.identity;
};

/**
 * Answers with the form of `body` the client prefers (by `Accept-Encoding`), and with 304 when the client's
 * `If-None-Match` holds that form's ETag. Type and caching headers are the caller's.
 */
export const sendPrecompressed = (ctx: Context, body: PrecompressedBody): void => {
  const representation = representationFor(ctx, body);
  // Every answer of a body that has coded forms depends on Accept-Encoding, the identity one and a 304 too.
  if (body.coded.size > 0) ctx.vary('Accept-Encoding');
  ctx.status = 200;
  ctx.etag = representation.etag;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  if (representation.coding !== undefined) ctx.set('Content-Encoding', representation.coding);
  ctx.body = representation.bytes;
};
