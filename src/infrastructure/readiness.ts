import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { DependencyState, ReadinessProbe, ReadinessReport } from '../adapters/http/readiness.js';

/**
 * Each store's whole check is cut off after this, so that /readyz answers within Kubernetes' default 1 s probe
 * timeout. A Redis ping is bounded sooner by the client's own command timeout (REDIS_COMMAND_TIMEOUT_MS).
 */
const READINESS_PROBE_TIMEOUT_MS = 800;

/** 'up' when `probe` succeeds within the deadline; 'down' when it fails or is still waiting then. */
const stateWithin = (probe: Promise<unknown>, ms: number): Promise<DependencyState> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<DependencyState>((resolve) => {
    timer = setTimeout(() => resolve('down'), ms);
  });
  const state = probe.then(
    (): DependencyState => 'up',
    (): DependencyState => 'down',
  );
  return Promise.race([state, deadline]).finally(() => clearTimeout(timer));
};

/** Ready while PostgreSQL answers and no shutdown has begun; Redis is reported but, failing open, never decides. */
export class ServiceReadiness implements ReadinessProbe {
  private stopping = false;

  constructor(
    private readonly database: Knex,
    private readonly redis: Redis | undefined,
  ) {}

  beginShutdown(): void {
    this.stopping = true;
  }

  async check(): Promise<ReadinessReport> {
    const [database, redis] = await Promise.all([this.databaseState(), this.redisState()]);
    return { ready: !this.stopping && database === 'up', stopping: this.stopping, checks: { database, redis } };
  }

  /**
   * The deadline covers waiting for a pooled connection too, whose own bound (2 s) is longer than the probe's.
   * The query's timeout makes knex drop a connection whose statement hangs instead of pooling it again.
   */
  private databaseState(): Promise<DependencyState> {
    return stateWithin(this.database.raw('select 1').timeout(READINESS_PROBE_TIMEOUT_MS), READINESS_PROBE_TIMEOUT_MS);
  }

  /** A ping, not the connection's status: a stalled Redis keeps its connection 'ready' while answering nothing. */
  private redisState(): Promise<DependencyState> {
    if (this.redis === undefined) return Promise.resolve('not_configured');
    return stateWithin(this.redis.ping(), READINESS_PROBE_TIMEOUT_MS);
  }
}
