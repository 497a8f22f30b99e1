import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { DependencyState, ReadinessProbe, ReadinessReport } from '../adapters/http/readiness.js';

const DATABASE_PROBE_TIMEOUT_MS = 1_000;
/** A backstop: the client's own command timeout (REDIS_COMMAND_TIMEOUT_MS) ends a ping to a stalled Redis sooner. */
const REDIS_PROBE_TIMEOUT_MS = 1_000;

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

  private async databaseState(): Promise<DependencyState> {
    try {
      await this.database.raw('select 1').timeout(DATABASE_PROBE_TIMEOUT_MS);
      return 'up';
    } catch {
      return 'down';
    }
  }

  /** A ping, not the connection's status: a stalled Redis keeps its connection 'ready' while answering nothing. */
  private redisState(): Promise<DependencyState> {
    if (this.redis === undefined) return Promise.resolve('not_configured');
    return stateWithin(this.redis.ping(), REDIS_PROBE_TIMEOUT_MS);
  }
}
