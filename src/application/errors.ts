/** Failures of the outside world that a caller may retry; each carries a stable code and no transport detail. */
export abstract class ApplicationError extends Error {
  abstract readonly code: string;
}

/** The session store could not be reached or did not answer in time. */
export class StoreUnavailable extends ApplicationError {
  readonly code = 'store_unavailable';
  constructor(options?: { cause?: unknown }) {
    super('The session store is unavailable', options);
    this.name = 'StoreUnavailable';
  }
}

/** The captcha provider could not be reached, did not answer in time, or answered nonsense. */
export class CaptchaUnavailable extends ApplicationError {
  readonly code = 'captcha_unavailable';
  constructor(options?: { cause?: unknown }) {
    super('The captcha verifier is unavailable', options);
    this.name = 'CaptchaUnavailable';
  }
}
