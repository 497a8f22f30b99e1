/** The pause before the second restart in a row: each further one waits twice as long as the one before. */
const FIRST_PAUSE_MS = 1_000;
/** A crash loop settles at one restart per this long: each start costs a core for about a second. */
const MAX_PAUSE_MS = 30_000;
/** A worker that served this long ends a run of restarts: its death is a new incident, not the same loop. */
const STEADY_AFTER_MS = 60_000;

/**
 * How long the cluster primary waits before replacing a worker that died. A worker that dies after serving for
 * a while is replaced at once; one that dies soon after a restart (its replacement failing to start, say) is
 * replaced after 1 s, then 2 s, 4 s … at most 30 s, so that a crash loop neither burns the CPU the living
 * workers serve with nor floods the log. Each worker slot (a first worker and its line of replacements) keeps
 * its own run: another worker's death is another incident, which neither ends nor lengthens this one's pauses.
 */
export class RestartBackoff {
  private readonly restartsInARow = new Map<number, number>();

  /**
   * The pause before replacing the worker of `slot` that served `servedMs` before it died (undefined: it never
   * listened).
   */
  pauseAfter(slot: number, servedMs: number | undefined): number {
    const steady = servedMs !== undefined && servedMs >= STEADY_AFTER_MS;
    const restarts = steady ? 0 : (this.restartsInARow.get(slot) ?? 0);
    this.restartsInARow.set(slot, restarts + 1);
    return restarts === 0 ? 0 : Math.min(FIRST_PAUSE_MS * 2 ** (restarts - 1), MAX_PAUSE_MS);
  }
}
