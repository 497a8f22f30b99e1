const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant `days` days before `instant` (after it, for a negative number of days). */
export const daysBefore = (instant: Date, days: number): Date => new Date(instant.getTime() - days * DAY_MS);
