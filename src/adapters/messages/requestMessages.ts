import type { Locale } from './locale.js';

/** Problems with a request as a whole, reported under `errors.body`. */
export type RequestErrorCode =
  | 'malformed_request'
  | 'headers_too_large'
  | 'request_timeout'
  | 'malformed_body'
  | 'undecodable_body'
  | 'unsupported_media_type'
  | 'unsupported_content_encoding'
  | 'payload_too_large'
  | 'expectation_failed'
  | 'not_an_object'
  | 'rate_limited'
  | 'store_unavailable'
  | 'captcha_unavailable'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal';

export interface MessageParameters {
  readonly retryAfterSeconds?: number;
}

type Template = (parameters: MessageParameters) => string;

type WaitUnit = 'second' | 'minute' | 'hour';
const waitFormats = new Map<string, Intl.NumberFormat>();

/**
 * A wait as people say it, with the plural the language wants: seconds below 2 minutes, then minutes below 2 hours,
 * then hours, rounded up (never too early). `Retry-After` keeps the exact seconds for machines.
 */
const formatWait = (locale: Locale, seconds: number): string => {
  const [amount, unit]: [number, WaitUnit] =
    seconds < 120 ? [seconds, 'second'] : seconds < 7_200 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3_600), 'hour'];
  const key = `${locale}:${unit}`;
  let format = waitFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' });
    waitFormats.set(key, format);
  }
  return format.format(amount);
};

const TEMPLATES: Record<Locale, Record<RequestErrorCode, Template>> = {
  id: {
    malformed_request: () => 'Permintaan HTTP tidak valid.',
    headers_too_large: () => 'Header permintaan terlalu besar.',
    request_timeout: () => 'Permintaan terlalu lama terkirim.',
    malformed_body: () => 'Body permintaan bukan JSON yang valid.',
    undecodable_body: () => 'Body permintaan tidak dapat didekompresi sesuai Content-Encoding-nya.',
    unsupported_media_type: () => 'Content-Type harus application/json (UTF-8).',
    unsupported_content_encoding: () =>
      'Content-Encoding tidak didukung: kirim body sebagai gzip, deflate, br, atau tanpa kompresi.',
    payload_too_large: () => 'Body permintaan melebihi batas 16 KiB.',
    expectation_failed: () => 'Header Expect tidak dapat dipenuhi: hanya 100-continue yang didukung.',
    not_an_object: () => 'Body permintaan harus berupa objek JSON.',
    rate_limited: ({ retryAfterSeconds = 1 }) => `Terlalu banyak permintaan. Coba lagi dalam ${formatWait('id', retryAfterSeconds)}.`,
    store_unavailable: () => 'Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.',
    captcha_unavailable: () => 'Verifikasi captcha sedang tidak tersedia. Silakan coba lagi sebentar lagi.',
    not_found: () => 'Alamat tidak ditemukan.',
    method_not_allowed: () => 'Metode tidak diizinkan untuk alamat ini.',
    internal: () => 'Terjadi kesalahan pada server. Silakan coba lagi.',
  },
  en: {
    malformed_request: () => 'The HTTP request is malformed.',
    headers_too_large: () => 'The request headers are too large.',
    request_timeout: () => 'The request took too long to arrive.',
    malformed_body: () => 'The request body is not valid JSON.',
    undecodable_body: () => 'The request body could not be decompressed as its Content-Encoding says.',
    unsupported_media_type: () => 'Content-Type must be application/json (UTF-8).',
    unsupported_content_encoding: () => 'Content-Encoding is not supported: send the body as gzip, deflate, br or uncompressed.',
    payload_too_large: () => 'The request body exceeds the 16 KiB limit.',
    expectation_failed: () => 'The Expect header cannot be met: only 100-continue is supported.',
    not_an_object: () => 'The request body must be a JSON object.',
    rate_limited: ({ retryAfterSeconds = 1 }) => `Too many requests. Try again in ${formatWait('en', retryAfterSeconds)}.`,
    store_unavailable: () => 'The service is temporarily unavailable. Please try again shortly.',
    captcha_unavailable: () => 'Captcha verification is temporarily unavailable. Please try again shortly.',
    not_found: () => 'Not found.',
    method_not_allowed: () => 'This method is not allowed here.',
    internal: () => 'Something went wrong on the server. Please try again.',
  },
};

export const requestErrorMessage = (locale: Locale, code: RequestErrorCode, parameters: MessageParameters = {}): string =>
  TEMPLATES[locale][code](parameters);
