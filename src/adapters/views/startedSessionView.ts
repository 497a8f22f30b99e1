import type { StartedSession } from '../../application/startSession.js';

/** What a caller gets for a started session, the same over HTTP (the 201 body) and from the CLI (one JSON line). */
export interface StartedSessionView {
  readonly sessionToken: string;
  readonly sessionId: string;
  readonly userId: string;
  readonly expiresAt: string;
}

export const startedSessionView = ({ session, token }: StartedSession): StartedSessionView => ({
  sessionToken: token,
  sessionId: session.id,
  userId: session.userId,
  expiresAt: session.expiresAt.toISOString(),
});
