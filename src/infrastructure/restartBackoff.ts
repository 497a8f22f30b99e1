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
 * workers serve with nor floods the log.
 */
export class RestartBackoff {
  private restartsInARow = 0;

  /** The pause before replacing a worker that served `servedMs` before it died (undefined: it never listened). */
  pauseAfter(servedMs: number | undefined): number {
    if (servedMs !== undefined && servedMs >= STEADY_AFTER_MS) this.restartsInARow = 0;
    const pause = this.restartsInARow === 0 ? 0 : Math.min(FIRST_PAUSE_MS * 2 ** (this.restartsInARow - 1), MAX_PAUSE_MS);
    this.restartsInARow += 1;
    return pause;
  }
}
