import { StoreUnavailable } from '../../application/errors.js';

// SQLSTATE classes and codes meaning "the database is not there or gave up", as opposed to a bug in a query.
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57'];
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNAVAILABLE_MESSAGES = [
  /timeout/i,
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Connection ended unexpectedly/i,
  /the database system is (starting up|shutting down)/i,
];

const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (error.name === 'KnexTimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NODE_CODES.has(code)) return true;
    if (code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return true;
  return error.cause !== undefined && isUnavailable(error.cause);
};

/** Runs a store operation, turning "the database is unreachable or too slow" into `StoreUnavailable`. */
export const withStoreFailures = async <T>(operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation();
  } catch (error) {
    // Already known for what it is (a connection the pool could not hand out).
    if (error instanceof StoreUnavailable) throw error;
    if (isUnavailable(error)) throw new StoreUnavailable({ cause: error });
    throw error;
  }
};
