import { randomUUID } from 'node:crypto';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A session row of `guestId` as the service stores it, started a day before it expires at `expiresAt`. */
export const sessionRow = (guestId: string, expiresAt: Date) => ({
  id: randomUUID(),
  user_id: guestId,
  name: 'Budi',
  city: 'Solo',
  country: 'Indonesia',
  started_at: new Date(expiresAt.getTime() - DAY_MS),
  expires_at: expiresAt,
});
