import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../application/ports/clock.js';
import type { IdGenerator } from '../application/ports/idGenerator.js';

export const systemClock: Clock = { now: () => new Date() };

/**
 * The random bytes of one UUID, cut from a pool refilled by the CSPRNG 256 ids at a time, as Node's own
 * `randomUUID` does: uuid's default draws through WebCrypto for every id, about 2 µs each, twice per session.
 */
const randomPool = new Uint8Array(16 * 256);
let poolOffset = randomPool.length;
const pooledRandom16 = (): Uint8Array => {
  if (poolOffset === randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  poolOffset += 16;
  return randomPool.subarray(poolOffset - 16, poolOffset);
};

/** UUIDv7: unique like v4, but time-ordered, so new rows land at the end of the primary-key index. */
export const uuidV7Generator: IdGenerator = { next: () => uuidv7({ rng: pooledRandom16 }) };
