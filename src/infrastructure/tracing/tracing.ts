import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Config } from '../config.js';

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

let contextManagerRegistered = false;

/**
 * Parent/child spans need the active span to follow async calls: one AsyncLocalStorage context manager per
 * process, registered the first time tracing is on (a second registration would be refused anyway).
 */
const ensureContextManager = (): void => {
  if (contextManagerRegistered) return;
  contextManagerRegistered = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
};

/** The OTLP/HTTP traces URL under a collector's base endpoint, as the OpenTelemetry specification builds it. */
export const tracesUrl = (endpoint: string): string => new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).toString();

/**
 * Tracing exists only when an OTLP endpoint is configured; otherwise nothing is created, registered or wrapped.
 * Spans leave in batches, off the request's path.
 */
export const createTracing = (otel: Config['otel']): Tracing | undefined => {
  if (otel.endpoint === undefined) return undefined;
  ensureContextManager();
  const exporter = new OTLPTraceExporter({ url: tracesUrl(otel.endpoint) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': otel.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return { tracer: provider.getTracer('livechat-session'), shutdown: () => provider.shutdown() };
};
