const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a session's details (a listener's name, city and country) are kept once it has expired, unless the
 * operator says otherwise: a year, as long as the listener's own browser keeps them in its cookies. A guest whose
 * sessions are all gone goes with them; its guest cookie, set for a year by its last session, has lapsed by then.
 */
export const DEFAULT_RETENTION_DAYS = 365;

/** Sessions that expired before this instant are past keeping. */
export const retentionCutoff = (now: Date, keptDays: number): Date => new Date(now.getTime() - keptDays * DAY_MS);
