import { SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';

/**
 * Runs `work` inside an active child span. A failure marks the span with the error's class and code only:
 * messages may quote SQL or values, and spans leave the service.
 */
export const inSpan = <T>(tracer: Tracer, name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> =>
  tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      span.setAttribute('error.type', typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
