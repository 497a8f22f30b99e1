/** `migrations_pending`: the database answers, but its schema lacks this release's latest migration. */
export const DEPENDENCY_STATES = ['up', 'down', 'not_configured', 'migrations_pending'] as const;
export type DependencyState = (typeof DEPENDENCY_STATES)[number];

export interface ReadinessReport {
  readonly ready: boolean;
  /** Shutdown has begun: load balancers should stop sending requests. */
  readonly stopping: boolean;
  readonly checks: Readonly<Record<string, DependencyState>>;
}

/** What /readyz asks: implemented where the pools live. */
export interface ReadinessProbe {
  check(): Promise<ReadinessReport>;
}
