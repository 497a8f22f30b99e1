/**
 * `npm run bench:disk`: how long this machine's disk takes to flush, which every session's commit waits for
 * (PostgreSQL flushes its write-ahead log before COMMIT returns, and the token is signed only after it). Two
 * figures, as BENCHMARKS.md's "Every machine at a glance" gives them:
 *   - 8 kB written and flushed (`fdatasync`) back to back: the time a flush takes, which pg_test_fsync reports
 *     as "fdatasync";
 *   - the same once every 10 ms, 500 times: p50, p99 and max at the SLO's 100 requests a second, where each
 *     session's commit is one such flush on its own.
 * It overwrites the start of a 16 MB file (a WAL segment's size, written in full first, as PostgreSQL's are)
 * in the directory given, and removes it. Run it on the disk that holds PostgreSQL's data.
 *
 *   npm run bench:disk                              the current directory
 *   npm run bench:disk -- --dir /var/lib/postgresql
 *   npm run bench:disk -- --quick                   a second and 100 paced flushes, to try the script
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { say } from './output.js';
import { median, percentile } from './stats.js';

const { values: options } = parseArgs({ options: { dir: { type: 'string', default: '.' }, quick: { type: 'boolean', default: false } } });
const BLOCK = Buffer.alloc(8192, 0x5a);
const SEGMENT_BYTES = 16 * 1024 * 1024;
const BACK_TO_BACK_MS = options.quick ? 1_000 : 5_000;
const PACED = { intervalMs: 10, flushes: options.quick ? 100 : 500 };

/** statfs's f_type of tmpfs, where a flush never reaches a disk. */
const TMPFS = 0x01021994;
// statfs's f_type of the file systems a bench machine is likely to have.
const FILE_SYSTEMS: Readonly<Record<number, string>> = {
  0xef53: 'ext2/3/4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlayfs',
  [TMPFS]: 'tmpfs',
};

const flushOnce = (fd: number): number => {
  const started = process.hrtime.bigint();
  writeSync(fd, BLOCK, 0, BLOCK.length, 0);
  fdatasyncSync(fd);
  return Number(process.hrtime.bigint() - started) / 1e3;
};

const backToBack = (fd: number): number[] => {
  const times: number[] = [];
  const until = performance.now() + BACK_TO_BACK_MS;
  while (performance.now() < until) times.push(flushOnce(fd));
  return times;
};

/** One flush every interval, on a fixed schedule so that a slow flush does not delay the ones after it. */
const paced = async (fd: number): Promise<number[]> => {
  const times: number[] = [];
  const start = performance.now();
  for (let index = 0; index < PACED.flushes; index += 1) {
    const wait = start + index * PACED.intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    times.push(flushOnce(fd));
  }
  return times;
};

const milliseconds = (microseconds: number): string => (microseconds / 1000).toFixed(2);

const main = async (): Promise<void> => {
  const directory = path.resolve(options.dir);
  const type = statfsSync(directory).type;
  const fileSystem = FILE_SYSTEMS[type] ?? `type 0x${type.toString(16)}`;
  const work = mkdtempSync(path.join(directory, '.livechat-disk-'));
  const fd = openSync(path.join(work, 'segment'), 'w+');
  try {
    for (let offset = 0; offset < SEGMENT_BYTES; offset += BLOCK.length) writeSync(fd, BLOCK, 0, BLOCK.length, offset);
    fdatasyncSync(fd);

    say(`Disk flush in ${directory} (${fileSystem})${type === TMPFS ? ': in memory, not a disk; these figures say nothing of one' : ''}`);
    const burst = backToBack(fd);
    say(
      `  back to back: ${burst.length.toLocaleString('en')} flushes of 8 kB in ${(BACK_TO_BACK_MS / 1000).toFixed(0)} s, ` +
        `${Math.round(median(burst))} µs each (median), ${Math.round(burst.reduce((a, b) => a + b, 0) / burst.length)} µs on average`,
    );
    const sorted = (await paced(fd)).sort((a, b) => a - b);
    say(
      `  at ${1000 / PACED.intervalMs} a second, ${sorted.length} flushes: p50 ${milliseconds(percentile(sorted, 0.5))} ms, ` +
        `p99 ${milliseconds(percentile(sorted, 0.99))} ms, max ${milliseconds(sorted.at(-1)!)} ms`,
    );
  } finally {
    closeSync(fd);
    rmSync(work, { recursive: true, force: true });
  }
};

await main();
