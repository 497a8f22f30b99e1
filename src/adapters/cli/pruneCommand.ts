import { constants as osConstants } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import type { PrunedCounts } from '../../application/ports/sessionPruning.js';
import type { PruneOutcome } from '../../application/pruneSessions.js';
import { DEFAULT_RETENTION_DAYS } from '../../domain/retention.js';
import type { CliDependencies } from './cliDependencies.js';
import { unlessSchemaBehind, whyStopped } from './failureWords.js';

/** At most a century: beyond it a date overflows nothing, but is surely a typing mistake. */
const MAX_DAYS = 36_500;

interface PruneOptions {
  readonly days: number;
  readonly dryRun?: boolean;
}

const daysParser = (raw: string): number => {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_DAYS) throw new InvalidArgumentError(`a whole number of days from 0 to ${MAX_DAYS}`);
  return value;
};

const plural = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

const sessionsAndGuests = ({ sessions, guests }: PrunedCounts): string => `${plural(sessions, 'session')} and ${plural(guests, 'guest')}`;

const counted = ({ sessions, guests, expiredBefore }: PruneOutcome): string =>
  `${plural(sessions, 'session')} (expired before ${expiredBefore.toISOString()}) and ${plural(guests, 'guest')} left without any`;

const prune = async (deps: CliDependencies, options: PruneOptions): Promise<number> => {
  const { io } = deps;
  const dryRun = options.dryRun === true;
  const pruner = await deps.openPruner();
  let stoppedBy: NodeJS.Signals | undefined;
  // The first stop lets the batch in flight commit, and prunes no further: every batch is whole. A second one ends
  // the process at once, as Node's default would (the batch in flight is then rolled back by the database). A dry
  // run has nothing to finish: the first ends it, by Node's default.
  if (!dryRun) {
    const stopListening = deps.onStopSignals(
      (signal) => {
        stoppedBy = signal;
      },
      (signal) => {
        stopListening();
        process.kill(process.pid, signal);
      },
    );
  }
  let prunedSoFar: PrunedCounts = { sessions: 0, guests: 0 };
  const progressIntervalMs = deps.pruneProgressIntervalMs ?? 5_000;
  let toldAt = Date.now();
  try {
    const outcome = await pruner.pruneSessions.execute({
      keptDays: options.days,
      dryRun,
      stopRequested: () => stoppedBy !== undefined,
      onBatch: (counts) => {
        prunedSoFar = counts;
        if (Date.now() - toldAt < progressIntervalMs) return;
        toldAt = Date.now();
        io.stderr.write(`livechat prune: ${sessionsAndGuests(counts)} pruned so far\n`);
      },
    });
    if (dryRun) {
      io.stdout.write(`would prune ${counted(outcome)}; nothing was deleted (--dry-run)\n`);
      return 0;
    }
    if (!outcome.complete) {
      io.stderr.write(`livechat prune: interrupted: pruned ${counted(outcome)}; run it again to prune the rest\n`);
      // What a shell reports for a process the signal ended: 130 for Ctrl-C, 143 for SIGTERM.
      return 128 + osConstants.signals[stoppedBy ?? 'SIGINT'];
    }
    io.stdout.write(`pruned ${counted(outcome)}\n`);
    return 0;
  } catch (error) {
    const done = dryRun ? '' : `; ${sessionsAndGuests(prunedSoFar)} pruned before it are gone, run it again to prune the rest`;
    io.stderr.write(`livechat prune: stopped early: ${whyStopped(error, pruner.database)}${done}\n`);
    return 1;
  } finally {
    await pruner.close();
  }
};

export const definePruneCommand = (program: Command, deps: CliDependencies, exitWith: (code: number) => void): void => {
  program
    .command('prune')
    .summary('delete the sessions past keeping, and the guests left without any')
    .description(
      'Delete the sessions that expired more than --days days ago (the listeners\' names, cities and countries with ' +
        'them), and the guests left without any session, a batch at a time: each batch is deleted whole or not at all, ' +
        'and sessions go on being started meanwhile. Run it daily (cron, a systemd timer). Exit code: 0 done, ' +
        '1 the database failed (the batches before it stay pruned), 130 interrupted (Ctrl-C, or 143 for SIGTERM, 129 ' +
        'for SIGHUP: the batch in flight finishes).',
    )
    .option('--days <n>', 'days a session is kept after it expires (the cookies that prefill the form last a year)', daysParser, DEFAULT_RETENTION_DAYS)
    .option('--dry-run', 'only count what would be deleted')
    .addHelpText('after', '\nExamples:\n  $ livechat prune\n  $ livechat prune --days 90 --dry-run')
    .action(async (options: PruneOptions) => {
      exitWith(await unlessSchemaBehind('prune', deps, () => prune(deps, options)));
    });
};
