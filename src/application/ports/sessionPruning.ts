/** How many sessions were (or would be) deleted, and how many guests with them. */
export interface PrunedCounts {
  readonly sessions: number;
  readonly guests: number;
}

export interface SessionPruning {
  /**
   * Deletes at most `limit` of the sessions that expired before `expiredBefore`, oldest first, and the guests that are
   * then left without any session, atomically. A session being started meanwhile for one of those guests is never
   * lost: either the guest is kept for it, or it is stored for a new guest.
   */
  pruneBatch(expiredBefore: Date, limit: number): Promise<PrunedCounts>;
  /** What pruning would delete now: the sessions that expired before `expiredBefore`, and the guests all of whose sessions did. */
  countPrunable(expiredBefore: Date): Promise<PrunedCounts>;
}
