import type { ProfileField } from '../../domain/profileRules.js';

/** A field the 422 map can name: a profile field, the captcha, or `body` when the body is not an object at all. */
export type ValidatedField = ProfileField | 'body' | 'captchaToken';

/**
 * What the HTTP adapter counts. Implemented with prom-client where the registry lives (infrastructure), so
 * the adapter neither owns a registry nor cares how the numbers are exported.
 */
export interface HttpMetrics {
  /** One finished request: `route` is the matched route pattern, never the raw path (bounded label values). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  sessionCreated(): void;
  validationFailed(field: ValidatedField): void;
  rateLimited(): void;
  rateLimitBackendFailed(): void;
  storeUnavailable(): void;
  /**
   * A request Node's HTTP parser refused, or one that took too long to arrive, answered before the service saw
   * it (400, 431, 408): it has no method or route, so it is counted apart from `observeRequest`.
   */
  malformedRequest(status: number): void;
  /** The exposition: Prometheus text and its content type. */
  exposition(): Promise<{ readonly contentType: string; readonly body: string }>;
}

/** For an app built without metrics (some unit tests): counts nothing. */
export const NO_METRICS: HttpMetrics = {
  observeRequest: () => undefined,
  sessionCreated: () => undefined,
  validationFailed: () => undefined,
  rateLimited: () => undefined,
  rateLimitBackendFailed: () => undefined,
  storeUnavailable: () => undefined,
  malformedRequest: () => undefined,
  exposition: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '' }),
};
