import type { ListenerProfile } from './listenerProfile.js';

export type UserType = 'guest' | 'member';

/** A chat session as stored: who it belongs to, the profile given when it started, and when it lapses. */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly userType: UserType;
  readonly profile: ListenerProfile;
  readonly startedAt: Date;
  readonly expiresAt: Date;
}

/**
 * Token claims use whole seconds, so a session's expiry is whole seconds after the second it started in;
 * then `exp - iat` is exactly the lifetime.
 */
export const expiryOf = (startedAt: Date, lifetimeSeconds: number): Date =>
  new Date((Math.floor(startedAt.getTime() / 1000) + lifetimeSeconds) * 1000);
