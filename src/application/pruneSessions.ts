import { retentionCutoff } from '../domain/retention.js';
import type { Clock } from './ports/clock.js';
import type { PrunedCounts, SessionPruning } from './ports/sessionPruning.js';

export interface PruneSessionsInput {
  /** Days a session is kept after it expires. */
  readonly keptDays: number;
  /** Only count what would be deleted. */
  readonly dryRun: boolean;
  /** Asked before each batch: true stops the run there (each batch done is kept). */
  readonly stopRequested: () => boolean;
  /** Told the running totals after each batch. */
  readonly onBatch?: (prunedSoFar: PrunedCounts) => void;
}

export interface PruneOutcome extends PrunedCounts {
  /** The sessions that expired before this instant were past keeping. */
  readonly expiredBefore: Date;
  /** False when the run was stopped before every such session was deleted. */
  readonly complete: boolean;
}

export interface PruneSessionsDependencies {
  readonly pruning: SessionPruning;
  readonly clock: Clock;
  /** Sessions deleted per transaction: small enough that none holds locks or runs for long. */
  readonly batchSize: number;
}

/** The operator deletes the sessions past keeping, and the guests left without any, a batch at a time. */
export class PruneSessions {
  constructor(private readonly deps: PruneSessionsDependencies) {}

  async execute(input: PruneSessionsInput): Promise<PruneOutcome> {
    const { pruning, clock, batchSize } = this.deps;
    const expiredBefore = retentionCutoff(clock.now(), input.keptDays);
    if (input.dryRun) return { ...(await pruning.countPrunable(expiredBefore)), expiredBefore, complete: true };

    let sessions = 0;
    let guests = 0;
    for (;;) {
      if (input.stopRequested()) return { sessions, guests, expiredBefore, complete: false };
      const batch = await pruning.pruneBatch(expiredBefore, batchSize);
      sessions += batch.sessions;
      guests += batch.guests;
      input.onBatch?.({ sessions, guests });
      // A short batch found all there was; sessions expiring meanwhile are after the cutoff.
      if (batch.sessions < batchSize) return { sessions, guests, expiredBefore, complete: true };
    }
  }
}
