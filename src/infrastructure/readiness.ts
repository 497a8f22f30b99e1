import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { DatabaseState, ReadinessProbe, ReadinessReport, RedisState } from '../adapters/http/readiness.js';
import { withinDeadline } from './deadline.js';
import { hasLatestMigration } from './migrations.js';

/**
 * Each store's whole check is cut off after this, so that /readyz answers within Kubernetes' default 1 s probe
 * timeout. A Redis ping is bounded sooner by the client's own command timeout (REDIS_COMMAND_TIMEOUT_MS).
 */
const READINESS_PROBE_TIMEOUT_MS = 800;

/** What `probe` says within the deadline; 'down' when it fails or is still waiting then. */
const stateWithin = <State extends string>(probe: Promise<State>, ms: number): Promise<State | 'down'> =>
  withinDeadline(
    probe.catch(() => 'down' as const),
    ms,
    () => 'down' as const,
  );

const UP = (): 'up' => 'up';

/**
 * Ready while PostgreSQL answers with this release's schema and no shutdown has begun; Redis is reported but,
 * failing open, never decides. An instance started without migrating (MIGRATE_ON_START=false, the migrations run
 * by a job of their own) stays out of rotation until they have run: every session would fail until then.
 */
export class ServiceReadiness implements ReadinessProbe {
  private stopping = false;
  /** Once seen, the schema is taken as current: migrations are not undone under a running release. */
  private schemaCurrent = false;
  private checking: Promise<ReadinessReport> | undefined;

  constructor(
    private readonly database: Knex,
    private readonly redis: Redis | undefined,
    private readonly latestMigration: string,
  ) {}

  beginShutdown(): void {
    this.stopping = true;
  }

  /**
   * Probes that arrive while a check is under way share it: a burst of them (an exposed /readyz, or many probers)
   * takes one pooled connection, not one each, and leaves the pool to the sessions.
   */
  check(): Promise<ReadinessReport> {
    this.checking ??= this.checkStores().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkStores(): Promise<ReadinessReport> {
    const [database, redis] = await Promise.all([this.databaseState(), this.redisState()]);
    return { ready: !this.stopping && database === 'up', stopping: this.stopping, checks: { database, redis } };
  }

  /**
   * The deadline covers waiting for a pooled connection too, whose own bound (2 s) is longer than the probe's.
   * The query's timeout makes knex drop a connection whose statement hangs instead of pooling it again.
   */
  private databaseState(): Promise<DatabaseState> {
    const probe = this.schemaCurrent ? this.database.raw('select 1').timeout(READINESS_PROBE_TIMEOUT_MS).then(UP) : this.schemaProbe();
    return stateWithin(probe, READINESS_PROBE_TIMEOUT_MS);
  }

  private async schemaProbe(): Promise<DatabaseState> {
    this.schemaCurrent = await hasLatestMigration(this.database, this.latestMigration, READINESS_PROBE_TIMEOUT_MS);
    return this.schemaCurrent ? 'up' : 'migrations_pending';
  }

  /** A ping, not the connection's status: a stalled Redis keeps its connection 'ready' while answering nothing. */
  private redisState(): Promise<RedisState> {
    if (this.redis === undefined) return Promise.resolve('not_configured');
    return stateWithin(this.redis.ping().then(UP), READINESS_PROBE_TIMEOUT_MS);
  }
}
