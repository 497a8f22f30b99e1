import cliProgress from 'cli-progress';

export interface SeedCounts {
  readonly created: number;
  readonly failed: number;
  /** The bytes of the file whose rows are done. */
  readonly bytesDone: number;
}

/** How a batch run shows it is alive, on stderr: never on stdout, which carries the sessions. */
export interface SeedProgress {
  update(counts: SeedCounts): void;
  /** Writes a whole line without tearing the bar. */
  log(line: string): void;
  stop(): void;
}

export interface SeedProgressOptions {
  readonly stream: NodeJS.WritableStream;
  /** A bar on a terminal; plain lines every few seconds into a pipe or a log file. */
  readonly interactive: boolean;
  /** The input's size; undefined when it has none to go by (a pipe), and the progress then shows counts alone. */
  readonly totalBytes: number | undefined;
  readonly plainIntervalMs?: number;
}

const rowsPerSecond = (rows: number, since: number): number => {
  const seconds = (Date.now() - since) / 1000;
  return seconds <= 0 ? 0 : Math.round(rows / seconds);
};

const percentOf = (part: number, whole: number): number => Math.min(100, Math.floor((part / whole) * 100));

const COUNTS_FORMAT = '{created} created | {failed} failed | {rate} rows/s';

const barProgress = ({ stream, totalBytes }: SeedProgressOptions): SeedProgress => {
  const startedAt = Date.now();
  const bars = new cliProgress.MultiBar(
    {
      stream,
      hideCursor: true,
      // The library's ETA is over its last 10 updates, a few rows, which finish unevenly when several are in
      // flight: the remaining time is estimated here from the whole run. Without a size, a bar, a share or a
      // time left would be made up.
      format:
        totalBytes === undefined
          ? `seeding | ${COUNTS_FORMAT}`
          : `seeding [{bar}] {percentage}% | ${COUNTS_FORMAT} | about {left} left`,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(totalBytes ?? 0, 0, { created: 0, failed: 0, rate: 0, left: '?' });
  return {
    update: ({ created, failed, bytesDone }) => {
      const rate = rowsPerSecond(created + failed, startedAt);
      if (totalBytes === undefined) {
        bar.update(0, { created, failed, rate });
        return;
      }
      const done = Math.min(bytesDone, totalBytes);
      const elapsedSeconds = (Date.now() - startedAt) / 1000;
      const left = done <= 0 ? '?' : `${Math.ceil((elapsedSeconds * (totalBytes - done)) / done)}s`;
      bar.update(done, { created, failed, rate, left });
    },
    log: (line) => bars.log(`${line}\n`),
    // log() only queues a line for the next redraw, and stop() draws the bar without the queue: a last redraw
    // first, or the rows refused since the previous one (every row of a small file) would never be printed.
    stop: () => {
      bars.update();
      bars.stop();
    },
  };
};

const plainProgress = ({ stream, totalBytes, plainIntervalMs = 5_000 }: SeedProgressOptions): SeedProgress => {
  const startedAt = Date.now();
  let latest: SeedCounts = { created: 0, failed: 0, bytesDone: 0 };
  const timer = setInterval(() => {
    const { created, failed, bytesDone } = latest;
    const share = totalBytes === undefined ? '' : ` ${percentOf(bytesDone, totalBytes)}% of the file,`;
    stream.write(`progress: ${created + failed} rows (${created} created, ${failed} failed),${share} ${rowsPerSecond(created + failed, startedAt)} rows/s\n`);
  }, plainIntervalMs);
  // Progress alone must never keep the process alive.
  timer.unref();
  return {
    update: (counts) => {
      latest = counts;
    },
    log: (line) => stream.write(`${line}\n`),
    stop: () => clearInterval(timer),
  };
};

export const createSeedProgress = (options: SeedProgressOptions): SeedProgress =>
  options.interactive ? barProgress(options) : plainProgress(options);
