import type { ListenerProfile } from '../../domain/listenerProfile.js';
import type { Session } from '../../domain/session.js';

/** A session about to be stored, for a guest who is either returning (claimedGuestId) or new. */
export interface NewGuestSession {
  readonly id: string;
  /** The guest the listener says they are; used only if such a guest exists. */
  readonly claimedGuestId: string | null;
  /** The id a new guest gets when there is no claimed guest or it is unknown. */
  readonly newGuestId: string;
  readonly profile: ListenerProfile;
  readonly startedAt: Date;
  readonly expiresAt: Date;
}

export interface SessionRepository {
  /**
   * Stores the session, creating the guest when needed, atomically: either both rows exist afterwards or
   * neither does. Resolves to the session as stored. Rejects with `StoreUnavailable` when the store
   * cannot be reached in time.
   */
  saveGuestSession(session: NewGuestSession): Promise<Session>;
}
