import type { Tracer } from '@opentelemetry/api';
import { StartSession, type StartSessionDependencies, type StartSessionInput } from '../../application/startSession.js';
import { inSpan } from './spans.js';

/**
 * The use case in a span. A subclass rather than a wrapper because StartSession is a class with private state,
 * so only a subclass is assignable where a StartSession is expected; it adds the span and nothing else.
 */
export class TracedStartSession extends StartSession {
  constructor(
    deps: StartSessionDependencies,
    private readonly tracer: Tracer,
  ) {
    super(deps);
  }

  override execute(input: StartSessionInput): ReturnType<StartSession['execute']> {
    return inSpan(this.tracer, 'StartSession.execute', {}, () => super.execute(input));
  }
}
