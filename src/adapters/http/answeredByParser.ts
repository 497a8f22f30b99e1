import type { ServerResponse } from 'node:http';

const ANSWERED_AS = Symbol('answeredByParser');
type Marked = ServerResponse & { [ANSWERED_AS]?: number };

/**
 * A request whose body Node's parser could not read (a bad chunk, the client gone mid-upload, too slow) is answered
 * on its socket by the client-error handler, while the app may still be handling it without its body: a 429 decided
 * before the body was read, say. The app's status then never reaches the client, so the access line and the request
 * histogram must tell the one that did.
 */
export const markAnsweredByParser = (response: ServerResponse, status: number): void => {
  (response as Marked)[ANSWERED_AS] = status;
};

/** The status the client-error handler sent for this request, if it answered it. */
export const statusAnsweredByParser = (response: ServerResponse): number | undefined => (response as Marked)[ANSWERED_AS];
