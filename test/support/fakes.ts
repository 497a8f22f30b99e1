import { randomUUID } from 'node:crypto';
import type { CaptchaVerifier } from '../../src/application/ports/captchaVerifier.js';
import type { Clock } from '../../src/application/ports/clock.js';
import type { IdGenerator } from '../../src/application/ports/idGenerator.js';
import type { PrunedCounts, SessionPruning } from '../../src/application/ports/sessionPruning.js';
import type { NewGuestSession, SessionRepository } from '../../src/application/ports/sessionRepository.js';
import type { TokenIssuer } from '../../src/application/ports/tokenIssuer.js';
import { isGuestId } from '../../src/domain/guestId.js';
import type { Session } from '../../src/domain/session.js';

/**
 * Keeps guests and sessions in memory with the same "reuse the claimed guest if it exists" rule, and refuses
 * a claim that is not a guest id as PostgreSQL does (the claim is cast to uuid). Prunes them as the database does:
 * oldest expiry first, a guest going with its last session.
 */
export class InMemorySessionRepository implements SessionRepository, SessionPruning {
  readonly guests = new Set<string>();
  sessions: Session[] = [];
  failWith: Error | undefined;
  /** The size of each batch asked for, in order. */
  readonly pruneBatches: number[] = [];

  saveGuestSession(session: NewGuestSession): Promise<Session> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    if (session.claimedGuestId !== null && !isGuestId(session.claimedGuestId)) {
      return Promise.reject(new Error('invalid input syntax for type uuid'));
    }
    const userId =
      session.claimedGuestId !== null && this.guests.has(session.claimedGuestId) ? session.claimedGuestId : session.newGuestId;
    this.guests.add(userId);
    const stored: Session = {
      id: session.id,
      userId,
      userType: 'guest',
      profile: session.profile,
      startedAt: session.startedAt,
      expiresAt: session.expiresAt,
    };
    this.sessions.push(stored);
    return Promise.resolve(stored);
  }

  pruneBatch(expiredBefore: Date, limit: number): Promise<PrunedCounts> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.pruneBatches.push(limit);
    const doomed = new Set(this.expiredBefore(expiredBefore).slice(0, limit));
    this.sessions = this.sessions.filter((session) => !doomed.has(session));
    const orphaned = [...new Set([...doomed].map((session) => session.userId))].filter((guest) => !this.hasSessions(guest));
    for (const guest of orphaned) this.guests.delete(guest);
    return Promise.resolve({ sessions: doomed.size, guests: orphaned.length });
  }

  countPrunable(expiredBefore: Date): Promise<PrunedCounts> {
    const expired = this.expiredBefore(expiredBefore);
    const guests = new Set(expired.map((session) => session.userId));
    const kept = this.sessions.filter((session) => !expired.includes(session));
    for (const session of kept) guests.delete(session.userId);
    return Promise.resolve({ sessions: expired.length, guests: guests.size });
  }

  private expiredBefore(instant: Date): Session[] {
    return this.sessions
      .filter((session) => session.expiresAt < instant)
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  private hasSessions(guest: string): boolean {
    return this.sessions.some((session) => session.userId === guest);
  }
}

/** Records what it signed; the token names the session so tests can tell tokens apart. */
export class RecordingTokenIssuer implements TokenIssuer {
  readonly issued: Session[] = [];
  /** Sessions the repository held at the moment of each signature: proves the row came first. */
  readonly storedAtSigning: number[] = [];

  constructor(private readonly repository?: InMemorySessionRepository) {}

  issue(session: Session): Promise<string> {
    this.issued.push(session);
    this.storedAtSigning.push(this.repository?.sessions.length ?? 0);
    return Promise.resolve(`token-for-${session.id}`);
  }
}

export class FixedClock implements Clock {
  constructor(public current: Date) {}

  now(): Date {
    return new Date(this.current);
  }
}

export class SequentialIds implements IdGenerator {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `00000000-0000-4000-8000-${String(this.counter).padStart(12, '0')}`;
  }
}

export const randomIds: IdGenerator = { next: () => randomUUID() };

/** Accepts exactly one token, records what it was asked, or fails like an unreachable provider. */
export class StubCaptchaVerifier implements CaptchaVerifier {
  readonly asked: { token: string; clientAddress: string }[] = [];
  failWith: Error | undefined;

  constructor(private readonly acceptedToken: string) {}

  verify(token: string, clientAddress: string): Promise<boolean> {
    this.asked.push({ token, clientAddress });
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    return Promise.resolve(token === this.acceptedToken);
  }
}
