import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { requestErrorMessage, type RequestErrorCode } from '../messages/requestMessages.js';
import { DEFAULT_LOCALE, type Locale } from '../messages/locale.js';
import { STATUS_BY_CODE } from './errorMiddleware.js';
import type { HttpMetrics } from './httpMetrics.js';
import { markAnsweredByParser } from './answeredByParser.js';
import { localeOfRequest } from './locale.js';
import { SANE_REQUEST_ID } from './requestContext.js';
import { responseUnderWay } from './responseUnderWay.js';

type ClientError = Error & { readonly code?: string };

/** The socket Node passes is a net.Socket, which counts what it read; the type it declares does not say so. */
const nothingArrived = (socket: Duplex): boolean => (socket as Duplex & { readonly bytesRead?: number }).bytesRead === 0;

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

/**
 * Node's answer to a request it could not take (a bad request line or header, headers over the size limit, a
 * request too slow to arrive) is a bare status line: no error map, no request id, no log line. This answers it
 * like any other error of the service and logs it under its request id, without what was sent (it may hold
 * cookies or personal data). In Indonesian, the default, unless it is the answer to a request whose headers
 * arrived (one that timed out while its body was awaited): a request that did not parse has no Accept-Language.
 */
export const answerClientError = (logger: Logger, metrics: HttpMetrics) => {
  const answer = (socket: Duplex, error: ClientError, requestId: string, locale: Locale = DEFAULT_LOCALE): number => {
    const code = codeOf(error);
    const status = STATUS_BY_CODE[code];
    const body = JSON.stringify({ errors: { body: [requestErrorMessage(locale, code)] } });
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
    return status;
  };

  return (error: ClientError, socket: Duplex): void => {
    // A connection on which no byte of a request ever arrived (a browser's preconnect, a pool's spare) is not a
    // request too slow to arrive: it is closed without a word, as an idle keep-alive connection is (Node times
    // out only a request under way, never the wait between two). Logged or counted, preconnects would drown
    // the slow clients the 408 is about.
    if (error.code === 'ECONNRESET' || !socket.writable || (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && nothingArrived(socket))) {
      socket.destroy();
      return;
    }
    const inFlight = responseUnderWay(socket);
    // The request in flight is still arriving when the error is its own: too slow, its body cut short (the
    // client closed the connection mid-upload) or badly framed (a bad chunk). Its body is awaited until the
    // connection closes, so waiting for its answer would hold the connection, and any stop, to the timeout.
    const ofRequestInFlight = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || inFlight?.req?.complete === false;
    if (inFlight !== undefined && !ofRequestInFlight) {
      // A later request on the connection (pipelined) did not parse, while an earlier one is still being
      // answered: that answer goes out first, whole, and this one after it. Answering now would put the error
      // in front of it (the client would take its 201 for a 400, and retry a session already stored).
      inFlight.once('finish', () => {
        if (socket.writable) metrics.malformedRequest(answer(socket, error, randomUUID()));
        socket.destroy();
      });
      return;
    }
    // This is the answer of the request in flight, if any, under the id it was given; unless its answer has
    // begun, into which nothing can be written.
    if (inFlight?.headersSent !== true) {
      const given = inFlight?.getHeader('x-request-id');
      const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
      const status = answer(socket, error, requestId, inFlight?.req === undefined ? undefined : localeOfRequest(inFlight.req));
      // A request in flight is counted where it is handled (the request histogram, with its route), under the
      // status sent here; counting it here too would count it twice.
      if (inFlight === undefined) metrics.malformedRequest(status);
      else markAnsweredByParser(inFlight, status);
    }
    socket.destroy();
  };
};
