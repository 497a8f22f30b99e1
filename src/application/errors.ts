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
