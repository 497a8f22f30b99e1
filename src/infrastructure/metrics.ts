import cluster from 'node:cluster';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HttpMetrics, ValidatedField } from '../adapters/http/httpMetrics.js';
import { clusterExposition } from './clusterMetrics.js';

// From a session started on a quiet machine (1–3 ms at the median) through the p99 objective (10 ms) to the
// store's worst case (~4 s of bounded timeouts) and beyond.
const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];

/**
 * The service's own Prometheus registry (not prom-client's global one, so two instances in one process,
 * as in the tests, never share or double-register series), with Node's process metrics.
 */
export const createMetrics = (): HttpMetrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'livechat_http_request_duration_seconds',
    help: 'Time from the first byte of a request to its response, by matched route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const sessionsCreated = new Counter({
    name: 'livechat_sessions_created_total',
    help: 'Sessions stored and tokens issued.',
    registers: [registry],
  });
  const validationFailures = new Counter({
    name: 'livechat_validation_failures_total',
    help: 'Fields rejected by a 422, one count per failing field.',
    labelNames: ['field'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'livechat_rate_limited_total',
    help: 'Requests refused with 429 by the per-client rate limit.',
    registers: [registry],
  });
  const rateLimitBackendErrors = new Counter({
    name: 'livechat_rate_limit_backend_errors_total',
    help: 'Rate-limiter backend (Redis) failures; each such request was let through unlimited.',
    registers: [registry],
  });
  const databaseErrors = new Counter({
    name: 'livechat_database_errors_total',
    help: 'Requests answered 503 because the session store was unreachable or too slow.',
    registers: [registry],
  });
  const malformedRequests = new Counter({
    name: 'livechat_malformed_requests_total',
    help: 'Requests answered before they reached the service: HTTP that did not parse (400), headers too large (431), too slow to arrive (408).',
    labelNames: ['status'] as const,
    registers: [registry],
  });

  return {
    observeRequest: (method, route, status, seconds) => requestDuration.observe({ method, route, status }, seconds),
    sessionCreated: () => sessionsCreated.inc(),
    validationFailed: (field: ValidatedField) => validationFailures.inc({ field }),
    rateLimited: () => rateLimited.inc(),
    rateLimitBackendFailed: () => rateLimitBackendErrors.inc(),
    storeUnavailable: () => databaseErrors.inc(),
    malformedRequest: (status) => malformedRequests.inc({ status }),
    // A cluster worker answers for the whole instance: every worker's series, summed by the primary.
    exposition: cluster.isWorker
      ? clusterExposition(registry)
      : async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
};

/** How a worker that the cluster primary replaced ended: by a signal, an exit code other than 0, or exit code 0. */
export type WorkerEnd = 'signal' | 'nonzero_exit' | 'clean_exit';
const WORKER_ENDS: readonly WorkerEnd[] = ['signal', 'nonzero_exit', 'clean_exit'];

export interface PrimaryMetrics {
  /** The primary's own series, added to the workers' in the cluster's /metrics. */
  readonly registry: Registry;
  workerRestarted(reason: WorkerEnd): void;
}

/** The cluster primary's series: what only the primary sees, such as its workers' restarts. */
export const createPrimaryMetrics = (): PrimaryMetrics => {
  const registry = new Registry();
  const workerRestarts = new Counter({
    name: 'livechat_worker_restarts_total',
    help: 'Cluster workers that ended without being asked and were replaced, by how they ended.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Every reason from 0, so that increase() sees the first restart of each, not a series appearing at 1.
  for (const reason of WORKER_ENDS) workerRestarts.inc({ reason }, 0);
  return { registry, workerRestarted: (reason) => workerRestarts.inc({ reason }) };
};
