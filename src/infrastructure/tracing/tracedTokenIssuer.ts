import type { Tracer } from '@opentelemetry/api';
import type { TokenIssuer } from '../../application/ports/tokenIssuer.js';
import type { Session } from '../../domain/session.js';
import { inSpan } from './spans.js';

/** The token issuer port in a span: RS256 signing is the expensive step, worth seeing on its own. */
export class TracedTokenIssuer implements TokenIssuer {
  constructor(
    private readonly inner: TokenIssuer,
    private readonly tracer: Tracer,
  ) {}

  issue(session: Session): Promise<string> {
    return inSpan(this.tracer, 'TokenIssuer.issue', { 'jwt.algorithm': 'RS256' }, () => this.inner.issue(session));
  }
}
