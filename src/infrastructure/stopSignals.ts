import { whenOrphaned } from './orphaned.js';

/**
 * One stop often reaches the process twice at once: sent to the whole process group (a terminal's Ctrl-C,
 * systemd's default KillMode, dumb-init) and passed on by a parent (npm start, the cluster primary). Repeats
 * this soon after the first signal are that same stop, not a second one.
 */
export const SAME_STOP_WITHIN_MS = 1_000;

/**
 * Calls `first` on the first of `signals` (SIGTERM and SIGINT unless told), and `again` on each later one that is
 * not the same stop; returns what stops listening, leaving those signals to Node's default (ending the process).
 * With `parentGone`, the process that started this one (`parent`) going away is a first stop too, as if the signal
 * `as` had come.
 */
export const onStopSignals = (
  first: (signal: NodeJS.Signals) => void,
  again: (signal: NodeJS.Signals) => void,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  { parentGone }: { parentGone?: { readonly parent: number; readonly as: NodeJS.Signals } } = {},
): (() => void) => {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals): void => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      first(signal);
    } else if (Date.now() - firstAt >= SAME_STOP_WITHIN_MS) {
      again(signal);
    }
  };
  for (const signal of signals) process.on(signal, handle);
  // Only ever a first stop: a parent that dies after one (killed with its whole process group) asks for nothing more.
  const stopWatching =
    parentGone === undefined
      ? () => undefined
      : whenOrphaned(parentGone.parent, () => {
          if (firstAt === undefined) handle(parentGone.as);
        });
  return () => {
    for (const signal of signals) process.removeListener(signal, handle);
    stopWatching();
  };
};
