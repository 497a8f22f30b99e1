/** `migrations_pending`: the database answers, but its schema lacks this release's latest migration. */
export const DATABASE_STATES = ['up', 'down', 'migrations_pending'] as const;
/** `not_configured`: no REDIS_URL; the rate limit counts in memory. */
export const REDIS_STATES = ['up', 'down', 'not_configured'] as const;
export type DatabaseState = (typeof DATABASE_STATES)[number];
export type RedisState = (typeof REDIS_STATES)[number];

export interface ReadinessReport {
  readonly ready: boolean;
  /** Shutdown has begun: load balancers should stop sending requests. */
  readonly stopping: boolean;
  readonly checks: { readonly database: DatabaseState; readonly redis: RedisState };
}

/** What /readyz asks: implemented where the pools live. */
export interface ReadinessProbe {
  check(): Promise<ReadinessReport>;
}
