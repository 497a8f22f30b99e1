/**
 * A failure the service expects and handles (a store that is down or too slow), as it goes to the log under
 * `err`: the logger writes it as any error — type, message with its causes', code, redacted fields — but
 * without the stack, which says nothing about such a failure and would repeat ~1 KB on every request for as
 * long as the store is down. Unexpected errors keep their stack.
 */
export class ExpectedFailure {
  constructor(readonly error: unknown) {}
}

export const expectedFailure = (error: unknown): ExpectedFailure => new ExpectedFailure(error);
