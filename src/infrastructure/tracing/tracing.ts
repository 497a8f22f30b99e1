import { createRequire } from 'node:module';
import { context, diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as OtlpHttpExporter from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type { Config } from '../config.js';
import { withinDeadline } from '../deadline.js';

// The SDK, its exporter and the context manager are loaded only when tracing is on: a process without an OTLP
// endpoint would otherwise carry them for nothing, about 20 MB of memory and 100 ms of start (measured).
const load = createRequire(import.meta.url);

export interface Tracing {
  readonly tracer: Tracer;
  /**
   * Exports what is still buffered, then stops; gives up after `SHUTDOWN_EXPORT_MS`, dropping what is left. Never
   * rejects: a failed last export is logged, and a stop goes on.
   */
  shutdown(): Promise<void>;
}

/**
 * The exporter waits 10 s for a collector and retries, so a silent one held a stop past the drain plus 10 s that
 * README promises (and that Kubernetes' 30 s grace is planned around). Spans are worth a last try, not a late stop.
 */
export const SHUTDOWN_EXPORT_MS = 2_000;

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

/** The SDK hands its errors over as JSON of the whole exception, stack included: its message says enough. */
const reasonOf = (diagnostic: string): string => {
  try {
    const { message } = JSON.parse(diagnostic) as { message?: unknown };
    return typeof message === 'string' ? message : diagnostic;
  } catch {
    return diagnostic;
  }
};

/** The OTLP/HTTP traces URL under a collector's base endpoint, as the OpenTelemetry specification builds it. */
export const tracesUrl = (endpoint: string): string => new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).toString();

/**
 * Tracing exists only when an OTLP endpoint is configured; otherwise nothing is created, registered or wrapped.
 * Spans leave in batches, off the request's path.
 */
export const createTracing = (otel: Config['otel'], logger: Logger): Tracing | undefined => {
  if (otel.endpoint === undefined) return undefined;
  ensureContextManager();
  // The SDK reports a failed export (collector down, refused, too slow) through its diagnostic logger, which says
  // nothing unless one is set: spans were lost without a word in the log.
  const exportFailed = (reason: string): void => logger.warn({ reason }, 'trace export failed: spans dropped');
  diag.setLogger(
    { error: (message) => exportFailed(reasonOf(message)), warn() {}, info() {}, debug() {}, verbose() {} },
    { logLevel: DiagLogLevel.ERROR, suppressOverrideMessage: true },
  );
  const { OTLPTraceExporter } = load('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpExporter;
  const { resourceFromAttributes } = load('@opentelemetry/resources') as typeof Resources;
  const { BatchSpanProcessor, TracerProvider } = load('@opentelemetry/sdk-trace') as typeof SdkTrace;
  const exporter = new OTLPTraceExporter({ url: tracesUrl(otel.endpoint) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': otel.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  return {
    tracer: provider.getTracer('livechat-session'),
    shutdown: () =>
      withinDeadline(
        provider.shutdown().catch((error: unknown) => exportFailed(error instanceof Error ? error.message : String(error))),
        SHUTDOWN_EXPORT_MS,
        () => logger.warn({ waitedMs: SHUTDOWN_EXPORT_MS }, 'the trace collector took too long: spans still buffered are dropped'),
      ),
  };
};
