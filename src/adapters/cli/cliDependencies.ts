import type { Readable } from 'node:stream';
import type { PruneSessions } from '../../application/pruneSessions.js';
import type { StartSession } from '../../application/startSession.js';

/** The use case as the composition root built it, and the way to release its database pool afterwards. */
export interface SessionSeeder {
  readonly startSession: StartSession;
  /** The database it stores into, for messages: DATABASE_URL with its password masked, or the embedded one's folder. */
  readonly database: string;
  close(): Promise<void>;
}

/** The pruning use case as the composition root built it, and the way to release its database pool afterwards. */
export interface SessionPruner {
  readonly pruneSessions: PruneSessions;
  /** The database it prunes, for messages: DATABASE_URL with its password masked, or the embedded one's folder. */
  readonly database: string;
  close(): Promise<void>;
}

export interface CliIo {
  /** Read only for `seed --file -`. */
  readonly stdin: Readable;
  readonly stdout: NodeJS.WritableStream;
  /** Errors, progress and logs: everything that is not a result. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

export interface MigrationOutcome {
  /** One line for the operator: what was applied or undone. */
  readonly report: string;
  /** The tables a rollback dropped, with all their rows. */
  readonly droppedTables: readonly string[];
}

/** What the commands need from the composition root; each is opened only by the command that uses it. */
export interface CliDependencies {
  readonly io: CliIo;
  /** Rejects with SchemaNotCurrent when the database's migrations have not all run. */
  openSeeder(): Promise<SessionSeeder>;
  /** Rejects with SchemaNotCurrent when the database's migrations have not all run. */
  openPruner(): Promise<SessionPruner>;
  /** Applies the pending migrations or undoes the last batch. */
  migrate(direction: 'latest' | 'rollback'): Promise<MigrationOutcome>;
  /** How often `prune` tells its running totals on stderr; 5 s unless a test says otherwise. */
  readonly pruneProgressIntervalMs?: number;
  /** The most sessions worth starting at a time: the size of the database pool. */
  readonly maxConcurrency: number;
  /**
   * Listens for the signals that ask the process to stop (Ctrl-C, `kill`, `timeout`, a closed terminal), and for the
   * process that started this one going away, which counts as SIGHUP: `first` gets the first, `again` a later one
   * that is not the same stop delivered twice (npx passes Ctrl-C on to the process that the terminal already sent
   * it to). Returns what stops listening.
   */
  onStopSignals(first: (signal: NodeJS.Signals) => void, again: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * Thrown by `openSeeder` and `openPruner` when the database lacks this release's schema (MIGRATE_ON_START=false, and the migrations
 * not run yet): every row would fail on a missing table, so the run stops before it starts.
 */
export class SchemaNotCurrent extends Error {
  /** `database` names it for the operator; `pendingMigration` is the release's last migration, not yet applied. */
  constructor(
    readonly database: string,
    readonly pendingMigration: string,
  ) {
    super(`${database} lacks this release's schema (pending migration ${pendingMigration})`);
    this.name = 'SchemaNotCurrent';
  }
}
