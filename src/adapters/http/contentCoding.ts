import Negotiator from 'negotiator';

/** The codings a body held in memory may be stored in, ours best first: brotli's output is the smaller. */
export const CONTENT_CODINGS = ['br', 'gzip'] as const;
export type ContentCoding = (typeof CONTENT_CODINGS)[number];
/** The body as it is, which RFC 9110 lets a client refuse with `identity;q=0`. */
type Coding = ContentCoding | 'identity';

/**
 * The coding to send a body in, from those it is stored in (`offered`, best first); undefined: as it is. The client's
 * q-values and `*` decide; among codings it weighs alike, ours does (the client's listing order means nothing, RFC
 * 9110: Chromium's `gzip, deflate, br` gets brotli). A client that refuses every coding, identity too, still gets the
 * body as it is (RFC 9110, 12.5.3).
 */
export const preferredCoding = (
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | undefined => {
  const available: readonly Coding[] = [...offered, 'identity'];
  const [best] = new Negotiator({ headers: { 'accept-encoding': acceptEncoding ?? '' } }).encodings(available, { preferred: available });
  return best === undefined || best === 'identity' ? undefined : (best as ContentCoding);
};
