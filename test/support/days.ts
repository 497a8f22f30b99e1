const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant `days` days before `instant` (after it, for a negative number of days). The domain's retentionCutoff
 * is the same arithmetic, but the prune tests build their sessions with this one: built with the code under test, a
 * cutoff computed wrongly would move the sessions with it and pass.
 */
export const daysBefore = (instant: Date, days: number): Date => new Date(instant.getTime() - days * DAY_MS);
