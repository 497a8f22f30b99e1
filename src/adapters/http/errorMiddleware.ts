import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { ApplicationError } from '../../application/errors.js';
import type { MessageParameters, RequestErrorCode } from '../messages/requestMessages.js';
import { requestErrorMessage } from '../messages/requestMessages.js';
import { expectedFailure } from './expectedFailure.js';
import type { HttpMetrics } from './httpMetrics.js';
import { localeOf } from './locale.js';
import { RequestError } from './requestError.js';
import { hasUnmetExpectation } from './unmetExpectation.js';

/** The one table from error codes to HTTP statuses. */
export const STATUS_BY_CODE: Readonly<Record<RequestErrorCode, number>> = {
  malformed_request: 400,
  malformed_body: 400,
  undecodable_body: 400,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  payload_too_large: 413,
  expectation_failed: 417,
  unsupported_media_type: 415,
  unsupported_content_encoding: 415,
  not_an_object: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  store_unavailable: 503,
  captcha_unavailable: 503,
};

/** Seconds a client should wait before retrying when the store is down: long enough for a failover. */
export const STORE_RETRY_AFTER_SECONDS = 5;
/** The captcha provider is someone else's service: a short wait, then the listener solves a new one. */
export const CAPTCHA_RETRY_AFTER_SECONDS = 5;

interface Classified {
  readonly code: RequestErrorCode;
  readonly parameters?: MessageParameters;
  readonly headers?: Readonly<Record<string, string>>;
}

const classify = (error: unknown): Classified => {
  if (error instanceof RequestError) return error;
  if (error instanceof ApplicationError && error.code === 'store_unavailable') {
    return { code: 'store_unavailable', headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) } };
  }
  if (error instanceof ApplicationError && error.code === 'captcha_unavailable') {
    return { code: 'captcha_unavailable', headers: { 'Retry-After': String(CAPTCHA_RETRY_AFTER_SECONDS) } };
  }
  return { code: 'internal' };
};

export const sendRequestError = (ctx: Context, { code, parameters, headers }: Classified): void => {
  ctx.status = STATUS_BY_CODE[code];
  ctx.vary('Accept-Language');
  if (headers !== undefined) ctx.set(headers);
  ctx.body = { errors: { body: [requestErrorMessage(localeOf(ctx), code, parameters)] } };
};

/**
 * The routers' Allow names the methods of the routes alone, though wherever a route is, OPTIONS is answered too
 * (RFC 9110 10.2.1: Allow lists the methods the resource supports).
 */
const allowOptionsToo = (ctx: Context): void => {
  const allowed = ctx.response.get('Allow');
  if (allowed !== '' && !allowed.split(/\s*,\s*/).includes('OPTIONS')) ctx.set('Allow', `${allowed}, OPTIONS`);
};

/** First in the chain: every failure leaves as a JSON errors map; nothing internal reaches the client. */
export const errorMiddleware =
  (logger: Logger, metrics: HttpMetrics): Middleware =>
  async (ctx, next) => {
    try {
      // Refused before any route is tried, as Node itself would: nothing of the request is acted upon.
      if (hasUnmetExpectation(ctx.req)) throw new RequestError('expectation_failed');
      await next();
      // The routers' own answers, which set Allow but no body: unmatched routes (404), 405/501, and OPTIONS, whose
      // empty body Koa would type as text/plain (an answer without content is 204, RFC 9110 9.3.7). A method no
      // route takes (PROPFIND, say) is 501 with an empty Allow wherever it is sent: where no method is allowed,
      // there is no resource to speak of, so it is the path that is not found.
      if (ctx.method === 'OPTIONS' && ctx.status === 200 && ctx.body === '') {
        ctx.status = 204;
        allowOptionsToo(ctx);
      } else if (ctx.body === undefined || ctx.body === null) {
        const nothingAllowed = ctx.response.get('Allow') === '';
        if (nothingAllowed) ctx.remove('Allow');
        if (ctx.status === 404 || (ctx.status === 501 && nothingAllowed)) sendRequestError(ctx, { code: 'not_found' });
        else if (ctx.status === 405 || ctx.status === 501) {
          allowOptionsToo(ctx);
          sendRequestError(ctx, { code: 'method_not_allowed' });
        }
      }
    } catch (error) {
      const classified = classify(error);
      sendRequestError(ctx, classified);
      if (classified.code === 'internal') logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
      else if (classified.code === 'store_unavailable') {
        metrics.storeUnavailable();
        logger.warn({ err: expectedFailure(error), requestId: ctx.state.requestId }, 'session store unavailable');
      } else if (classified.code === 'captcha_unavailable') {
        logger.warn({ err: expectedFailure(error), requestId: ctx.state.requestId }, 'captcha verifier unavailable');
      }
    }
  };
