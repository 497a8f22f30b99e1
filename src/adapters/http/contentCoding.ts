import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';

/** The codings a body held in memory may be stored in, ours best first: brotli's output is the smaller. */
export const CONTENT_CODINGS = ['br', 'gzip'] as const;
export type ContentCoding = (typeof CONTENT_CODINGS)[number];
/** The body as it is, which RFC 9110 lets a client refuse with `identity;q=0`. */
type Coding = ContentCoding | 'identity';

/** negotiator's pick among `codings`: a tie it cannot break goes to the first; false when the header refuses all. */
const negotiated = (acceptEncoding: string, codings: readonly Coding[]): Coding | false =>
  accepts({ headers: { 'accept-encoding': acceptEncoding } } as unknown as IncomingMessage).encodings([...codings]) as Coding | false;

/**
 * The coding to send a body in, from those it is stored in (`offered`, best first); undefined: as it is. The client's
 * q-values and `*` decide; among codings it weighs alike, ours does. negotiator 0.6 (the one accepts and Koa bring)
 * breaks such a tie by the order the client listed them in, which RFC 9110 gives no meaning, so Chromium's
 * `gzip, deflate, br` would get gzip: a coding is passed over only for one that the client prefers whichever way
 * round its list is read, that is for a higher q-value or a name given where the other matched only `*`.
 * A client that refuses every coding, identity too, still gets the body as it is (RFC 9110, 12.5.3).
 */
export const preferredCoding = (
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | undefined => {
  const asSent = acceptEncoding ?? '';
  const reversed = asSent.split(',').reverse().join(',');
  const candidates: Coding[] = [...offered, 'identity'];
  const acceptable = (coding: Coding): boolean => negotiated(asSent, [coding]) === coding;
  const outranks = (other: Coding, coding: Coding): boolean =>
    negotiated(asSent, [coding, other]) === other && negotiated(reversed, [coding, other]) === other;
  const choice = candidates.find(
    (coding) => acceptable(coding) && !candidates.some((other) => other !== coding && outranks(other, coding)),
  );
  return choice === undefined || choice === 'identity' ? undefined : choice;
};
