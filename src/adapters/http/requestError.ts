import type { MessageParameters, RequestErrorCode } from '../messages/requestMessages.js';

/** A request the HTTP adapter refuses as a whole; the error middleware gives it its status and message. */
export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    readonly parameters: MessageParameters = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code);
    this.name = 'RequestError';
  }
}
