import type { Session } from '../../domain/session.js';

/** Signs the token the WebSocket server accepts for a session. */
export interface TokenIssuer {
  issue(session: Session): Promise<string>;
}
