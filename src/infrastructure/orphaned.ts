/** How often the parent is looked for: an orphan notices within this. One getppid call each time. */
export const PARENT_CHECK_MS = 250;

/**
 * Calls `then` once `parent`, the process that started this one, has gone. Linux tells no child of its parent's
 * death (short of prctl, out of Node's reach), but the orphan is adopted by init or the nearest subreaper, so its
 * parent id changes. Never keeps the process alive; returns what stops looking.
 */
export const whenOrphaned = (parent: number, then: () => void, everyMs = PARENT_CHECK_MS): (() => void) => {
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    then();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
};
