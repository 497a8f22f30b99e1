import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { DependencyState, ReadinessProbe, ReadinessReport } from '../adapters/http/readiness.js';

const DATABASE_PROBE_TIMEOUT_MS = 1_000;

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
    const database = await this.databaseState();
    const redis: DependencyState = this.redis === undefined ? 'not_configured' : this.redis.status === 'ready' ? 'up' : 'down';
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
}
