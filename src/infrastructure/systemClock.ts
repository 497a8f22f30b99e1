import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../application/ports/clock.js';
import type { IdGenerator } from '../application/ports/idGenerator.js';

export const systemClock: Clock = { now: () => new Date() };

/** UUIDv7: unique like v4, but time-ordered, so new rows land at the end of the primary-key index. */
export const uuidV7Generator: IdGenerator = { next: () => uuidv7() };
