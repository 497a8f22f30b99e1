import type { Tracer } from '@opentelemetry/api';
import type { NewGuestSession, SessionRepository } from '../../application/ports/sessionRepository.js';
import type { Session } from '../../domain/session.js';
import { inSpan } from './spans.js';

/** The repository port in a span, so the use case never learns that it is traced. */
export class TracedSessionRepository implements SessionRepository {
  constructor(
    private readonly inner: SessionRepository,
    private readonly tracer: Tracer,
  ) {}

  saveGuestSession(session: NewGuestSession): Promise<Session> {
    return inSpan(
      this.tracer,
      'SessionRepository.saveGuestSession',
      { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'sessions' },
      () => this.inner.saveGuestSession(session),
    );
  }
}
