import { randomUUID } from 'node:crypto';
import { daysBefore } from '../../support/days.js';

/** A session row of `guestId` as the service stores it, started a day before it expires at `expiresAt`. */
export const sessionRow = (guestId: string, expiresAt: Date) => ({
  id: randomUUID(),
  user_id: guestId,
  name: 'Budi',
  city: 'Solo',
  country: 'Indonesia',
  started_at: daysBefore(expiresAt, 1),
  expires_at: expiresAt,
});
