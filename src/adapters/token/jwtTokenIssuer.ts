import jwt from 'jsonwebtoken';
import type { TokenIssuer } from '../../application/ports/tokenIssuer.js';
import type { Session } from '../../domain/session.js';
import type { SigningKey } from './signingKey.js';

export interface TokenAudience {
  readonly issuer: string;
  readonly audience: string;
}

const toSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** RS256 session tokens for the WebSocket server, verifiable with the keys at /.well-known/jwks.json. */
export class JwtTokenIssuer implements TokenIssuer {
  private readonly options: jwt.SignOptions;

  constructor(
    private readonly key: SigningKey,
    private readonly audience: TokenAudience,
  ) {
    this.options = { algorithm: 'RS256', keyid: key.kid };
  }

  issue(session: Session): Promise<string> {
    const claims = {
      iss: this.audience.issuer,
      aud: this.audience.audience,
      sub: session.userId,
      iat: toSeconds(session.startedAt),
      exp: toSeconds(session.expiresAt),
      jti: session.id,
      session_id: session.id,
      user_id: session.userId,
      user_type: session.userType,
    };
    // jsonwebtoken signs synchronously in every form; a promise keeps the port open to remote signers.
    return Promise.resolve(jwt.sign(claims, this.key.privateKey, this.options));
  }
}
