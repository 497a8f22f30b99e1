import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { requestErrorMessage, type RequestErrorCode } from '../messages/requestMessages.js';
import { STATUS_BY_CODE } from './errorMiddleware.js';

type ClientError = Error & { readonly code?: string };

const codeOf = (error: ClientError): RequestErrorCode => {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'headers_too_large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'request_timeout';
    default:
      return 'malformed_request';
  }
};

/** Set by Node on a socket while a response is under way (a pipelined request); not in its typings. */
const responseUnderWay = (socket: Duplex): boolean =>
  (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;

/**
 * A request Node cannot parse (a bad request line or header, headers over the size limit, a request too slow
 * to arrive) never reaches Koa, and Node's own answer is a bare status line: no error map, no request id, no
 * log line. This answers it like any other error of the service and logs it under its request id, without
 * what was sent (it may hold cookies or personal data). In Indonesian: the request's Accept-Language is one
 * of the headers that did not parse.
 */
export const answerClientError =
  (logger: Logger) =>
  (error: ClientError, socket: Duplex): void => {
    // Like Node's own handler: nothing is written to a socket that is gone, or into a response already begun.
    if (error.code !== 'ECONNRESET' && socket.writable && !responseUnderWay(socket)) {
      const code = codeOf(error);
      const status = STATUS_BY_CODE[code];
      const requestId = randomUUID();
      const body = JSON.stringify({ errors: { body: [requestErrorMessage('id', code)] } });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          'X-Content-Type-Options: nosniff\r\n' +
          `X-Request-Id: ${requestId}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
      logger.info({ requestId, status, reason: error.code ?? error.name }, 'malformed request');
    }
    socket.destroy();
  };
