import type { IncomingMessage } from 'node:http';

const UNMET_EXPECTATION = Symbol('unmetExpectation');
type Marked = IncomingMessage & { [UNMET_EXPECTATION]?: true };

/**
 * Node decides which `Expect` it cannot meet (any but 100-continue, in HTTP/1.1) and, unless told otherwise, answers
 * it with a bare 417 of its own: no error map, no request id, no log line. The server marks such a request and
 * hands it to the app instead, which answers it as any other error (RFC 9110, 10.1.1).
 */
export const markUnmetExpectation = (request: IncomingMessage): void => {
  (request as Marked)[UNMET_EXPECTATION] = true;
};

export const hasUnmetExpectation = (request: IncomingMessage): boolean => (request as Marked)[UNMET_EXPECTATION] === true;
