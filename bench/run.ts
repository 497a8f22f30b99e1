/**
 * `npm run bench`: the service in production mode on the local PostgreSQL and Redis, measured with autocannon
 * against the machine's raw RS256 capacity and against reference servers of the same endpoint (plain Express,
 * the design card's stack doing only the irreducible work, and raw node:http), all in one run. Figures only:
 * it never fails because a machine is slow.
 *
 *   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL     default redis://127.0.0.1:6379
 *   --quick             short phases, to try the script itself (figures not worth recording)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { newRsaPrivateKeyPem } from '../src/adapters/token/signingKey.js';
import { DEFAULT_DATABASE_POOL_MAX } from '../src/infrastructure/config.js';
import { balancedOrders } from './balancedOrders.js';
import { BENCH_BODY, clearRateLimitKeys, resetServiceTables, withDatabase } from './benchStores.js';
import { BENCH_DATABASE_URL as DATABASE_URL, BENCH_REDIS_URL as REDIS_URL } from './localServices.js';
import { say } from './output.js';
import { median, percentile } from './stats.js';
import { ensureReferenceDependencies, referenceSpec, serverEnvironment, serviceSpec, startTarget, stopTarget, waitReady, type Target, type TargetSpec } from './targets.js';
import { figureBeside } from './verdictFigure.js';

const quick = process.argv.includes('--quick');

const PHASES = {
  warmupSeconds: quick ? 2 : 5,
  // autocannon releases each connection's per-second quota as one back-to-back burst at the start of every
  // second. On one connection that is 100 requests, one after the other, each timed alone: the service
  // latency at 100 requests/s. On 10 connections it is 10 simultaneous requests, 10 times in a row, every
  // second: a burst test, reported beside it.
  fixedRate: { rate: 100, connections: 1, burstConnections: 10, seconds: quick ? 5 : 30, rounds: quick ? 1 : 3 },
  baselineSeconds: quick ? 2 : 4,
  saturation: { connections: 64, seconds: quick ? 3 : 8 },
  // A server's turn comes about a minute after its last one, by when its pool has closed its idle PostgreSQL
  // connections (pg's after 10 s, knex's after 30 s): without a warm-up a run measures the reopening (raw made
  // 10–25 % fewer answers), and only the service, fresh from (1b), started the first round warm.
  saturationWarmupSeconds: quick ? 1 : 2,
};
const CORES = availableParallelism();

const REFERENCES = [
  { name: 'express', label: 'Express reference (KeyObject)', file: 'express.js', env: {} },
  { name: 'express-pem', label: 'Express reference (PEM string)', file: 'express.js', env: { SIGN_WITH: 'pem' } },
  { name: 'koa', label: "Koa reference (design card's stack)", file: 'koa.js', env: {} },
  { name: 'raw', label: 'raw node:http reference', file: 'raw.js', env: {} },
] as const;
type ReferenceName = (typeof REFERENCES)[number]['name'];

// ---------------------------------------------------------------------------------------------------------
// Measurements

/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcessCpu {
  readonly parent: number;
  readonly command: string;
  readonly ticks: number;
}

/** CPU ticks (user + system) used so far by every process, from /proc; undefined where there is no /proc. */
const cpuByProcess = (): Map<number, ProcessCpu> | undefined => {
  if (!existsSync('/proc/self/stat')) return undefined;
  const processes = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The command name sits in parentheses and may hold spaces; then state ppid … utime(14) stime(15).
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), { parent: Number(fields[1]), command, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return processes;
};

type CpuShare = 'server' | 'postgres' | 'redis';

/**
 * CPU microseconds per request between two snapshots: the server (the process and its cluster workers), and the
 * local PostgreSQL and Redis (undefined when none runs here). It depends less than throughput on what else the
 * machine runs. A PostgreSQL backend started meanwhile counts whole; one that ended (an idle pool connection)
 * had nothing to count.
 */
const cpuPerRequest = (before: Map<number, ProcessCpu> | undefined, after: Map<number, ProcessCpu> | undefined, rootPid: number | undefined, requests: number): Record<CpuShare, number | undefined> => {
  const none = { server: undefined, postgres: undefined, redis: undefined };
  if (before === undefined || after === undefined || rootPid === undefined || requests === 0) return none;
  const share = (belongs: (pid: number, cpu: ProcessCpu) => boolean): number | undefined => {
    let ticks = 0;
    let found = false;
    for (const [pid, cpu] of after) {
      if (!belongs(pid, cpu)) continue;
      found = true;
      ticks += cpu.ticks - (before.get(pid)?.ticks ?? 0);
    }
    return found ? (ticks / CLOCK_TICKS_PER_SECOND / requests) * 1e6 : undefined;
  };
  return {
    server: share((pid, cpu) => pid === rootPid || cpu.parent === rootPid),
    postgres: share((_, cpu) => cpu.command === 'postgres'),
    redis: share((_, cpu) => cpu.command.startsWith('redis-server')),
  };
};

interface Load {
  readonly requestsPerSecond: number;
  readonly ok: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly non2xx: number;
}

interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly overallRate?: number;
  /** Called with each 2xx response's time in milliseconds, unrounded. */
  readonly onResponseTime?: (milliseconds: number) => void;
}

const load = async (url: string, options: LoadOptions): Promise<Load> => {
  const { onResponseTime } = options;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/livechat/session`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BENCH_BODY,
        connections: options.connections,
        duration: options.seconds,
        // With a rate, autocannon "corrects" for coordinated omission with an expected interval of ceil(1 / rate)
        // milliseconds, i.e. 1 ms for a per-second rate: it would add made-up samples, so it is switched off.
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate, ignoreCoordinatedOmission: true }),
      },
      (error: unknown, done) => {
        if (error === null || error === undefined) resolve(done);
        else reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
      },
    );
    if (onResponseTime === undefined) return;
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      if (status >= 200 && status < 300) onResponseTime(milliseconds);
    });
  });
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    non2xx: result.non2xx,
  };
};

/** One server's fixed-rate rounds: every response time of all rounds, pooled, and each round's own p99. */
interface FixedRate {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly responses: number;
  readonly roundP99s: readonly number[];
  /** PostgreSQL's WAL flushes per answer over the rounds: about 1 when every commit waits for the disk. */
  readonly walFlushesPerAnswer: number | undefined;
  readonly errors: number;
  readonly non2xx: number;
}

interface FixedRateRun {
  readonly load: Load;
  readonly times: readonly number[];
  readonly walFlushes: number | undefined;
}

const fixedRateRounds = (rounds: readonly FixedRateRun[]): FixedRate => {
  const pooled = rounds.flatMap((round) => round.times).sort((a, b) => a - b);
  const flushes = rounds.every((round) => round.walFlushes !== undefined) ? rounds.reduce((total, round) => total + round.walFlushes!, 0) : undefined;
  return {
    requestsPerSecond: median(rounds.map((round) => round.load.requestsPerSecond)),
    p50: percentile(pooled, 0.5),
    p99: percentile(pooled, 0.99),
    max: pooled.at(-1) ?? Number.NaN,
    responses: pooled.length,
    roundP99s: rounds.map((round) => percentile([...round.times].sort((a, b) => a - b), 0.99)),
    walFlushesPerAnswer: flushes === undefined || pooled.length === 0 ? undefined : flushes / pooled.length,
    errors: rounds.reduce((total, round) => total + round.load.errors, 0),
    non2xx: rounds.reduce((total, round) => total + round.load.non2xx, 0),
  };
};

/** Saturating load, not counted: at start, and again right before each saturation run. */
const warmUp = async (url: string, seconds: number = PHASES.warmupSeconds): Promise<void> => {
  await load(url, { connections: PHASES.saturation.connections, seconds });
};

/** RS256 signatures per second with node:crypto on every core at once: the ceiling for this endpoint. */
const signingBaseline = async (privateKeyPem: string, seconds: number): Promise<number> => {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPrivateKey, sign } = require('node:crypto');
    const key = createPrivateKey(workerData.pem);
    const input = Buffer.from(workerData.input);
    const end = Date.now() + workerData.seconds * 1000;
    let count = 0;
    while (Date.now() < end) {
      for (let i = 0; i < 20; i += 1) sign('sha256', input, key);
      count += 20;
    }
    parentPort.postMessage(count);`;
  // The size of a real token's signing input: header and claims, base64url.
  const input = `${'e'.repeat(100)}.${'p'.repeat(330)}`;
  const counts = await Promise.all(
    Array.from(
      { length: CORES },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { pem: privateKeyPem, input, seconds } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0) / seconds;
};

// ---------------------------------------------------------------------------------------------------------
// Setup of the shared PostgreSQL

/** Worker processes of all servers together: the service with one per core and with one, each reference with one per core. */
const ALL_WORKERS = CORES + 1 + REFERENCES.length * CORES;

/**
 * Every worker of every server holds a pool for the whole run, so on a machine with many cores they could
 * take more connections than PostgreSQL allows. Pools shrink to fit what is free, keeping a few spare.
 */
const poolPerWorker = (): Promise<number> =>
  withDatabase(async (client) => {
    const { rows } = await client.query<{ max: number; used: number }>(
      "select current_setting('max_connections')::int as max, (select count(*) from pg_stat_activity)::int as used",
    );
    const free = rows[0]!.max - rows[0]!.used - 5;
    const pool = Math.min(DEFAULT_DATABASE_POOL_MAX, Math.floor(free / ALL_WORKERS));
    if (pool < 2) {
      throw new Error(`PostgreSQL has ${free} spare connections for ${ALL_WORKERS} server workers; raise max_connections`);
    }
    return pool;
  });

/** WAL flushes to disk so far, server-wide (PostgreSQL 14+); undefined where the view cannot be read. */
const walFlushes = (): Promise<number | undefined> =>
  withDatabase(async (client) => {
    try {
      const result = await client.query<{ wal_sync: string }>('select wal_sync from pg_stat_wal');
      return Number(result.rows[0]?.wal_sync);
    } catch {
      return undefined;
    }
  });

/**
 * PostgreSQL counts a backend's work in the backend and reports it at most once a second; what is left when the
 * backend goes idle is reported 10 s later (PGSTAT_IDLE_INTERVAL). Read sooner, pg_stat_wal would charge a run
 * with the last flushes of what came before it (the saturated warm-ups: 0.3 flushes per answer more on a fast
 * disk) and leave out its own last second's.
 */
const STATISTICS_SETTLE_MS = 11_000;
const statisticsSettled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, STATISTICS_SETTLE_MS));

/**
 * The saturated warm-ups leave PostgreSQL with dirty pages that its checkpointer writes out over the next
 * minutes, beside the commits being timed. A CHECKPOINT before each fixed-rate run starts both the service's
 * run and raw's from the same state instead of the first one always paying for the warm-up. It needs a
 * superuser or the pg_checkpoint role; without either the runs go ahead unsettled, and the output says so.
 */
const checkpoint = (): Promise<boolean> =>
  withDatabase(async (client) => {
    try {
      await client.query('checkpoint');
      return true;
    } catch {
      return false;
    }
  });

// ---------------------------------------------------------------------------------------------------------
// The run

const fmt = (value: number, digits = 0): string => value.toFixed(digits);
// autocannon's histogram counts whole milliseconds; a median of rounds can fall between two.
const ms = (value: number): string => `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
const exactMs = (value: number): string => `${value.toFixed(1)} ms`;
/** The issue's lines: p99 at the fixed rate under 10 ms; at saturation at least 2 × Express and 80 % of raw. */
const P99_LINE_MS = 10;
const EXPRESS_LINE_TIMES = 2;
const RAW_LINE_PERCENT = 80;
const p99Ms = (value: number): string => `${figureBeside(value, P99_LINE_MS, 1)} ms`;
const fixedRateLine = (result: FixedRate): string =>
  `    ${fmt(result.requestsPerSecond)} 2xx/s, p50 ${exactMs(result.p50)}, p99 ${p99Ms(result.p99)} (rounds: ${result.roundP99s.map(exactMs).join(', ')}), ` +
  `max ${exactMs(result.max)}, ${result.responses} answers, ${result.errors} errors, ${result.non2xx} non-2xx` +
  (result.walFlushesPerAnswer === undefined ? '' : `, ${fmt(result.walFlushesPerAnswer, 2)} WAL flushes per answer`);
const latencyLine = (result: Load): string =>
  `    ${fmt(result.requestsPerSecond)} 2xx/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}, ${result.errors} errors, ${result.non2xx} non-2xx`;

type TargetName = 'service' | 'service-1' | 'service-async' | ReferenceName;
/** The servers of the saturation rounds: all but the one that only shows what the commit's disk flush costs. */
type SaturationTarget = Exclude<TargetName, 'service-async'>;

interface Round {
  readonly signaturesPerSecond: number;
  readonly results: Record<SaturationTarget, Load & { readonly cpu: Record<CpuShare, number | undefined> }>;
}

const main = async (): Promise<void> => {
  ensureReferenceDependencies();
  const databasePoolMax = await poolPerWorker();
  const workDir = mkdtempSync(path.join(tmpdir(), 'livechat-bench-'));
  const privateKeyPem = newRsaPrivateKeyPem(2048);
  const common = serverEnvironment(workDir, privateKeyPem, databasePoolMax);
  const specs: TargetSpec<TargetName>[] = [
    // The service exactly as deployed, one worker per core.
    serviceSpec('service', `service (${CORES} workers)`, common, { DATA_DIR: path.join(workDir, 'data') }),
    // The same service in one process: what one worker per core buys. The first one has migrated already.
    serviceSpec('service-1', 'service (1 worker)', common, { DATA_DIR: path.join(workDir, 'data-1'), WEB_CONCURRENCY: '1', MIGRATE_ON_START: 'false' }),
    // Not as deployed: the same service whose commits do not wait for the disk (node-postgres passes PGOPTIONS to
    // every connection), run only at the fixed rate, to show how much of (1) is the disk's flush (README, "Performance").
    serviceSpec('service-async', `service (${CORES} workers), asynchronous commit`, common, { DATA_DIR: path.join(workDir, 'data-async'), MIGRATE_ON_START: 'false', PGOPTIONS: '-c synchronous_commit=off' }),
    ...REFERENCES.map((reference) => referenceSpec(reference.name, reference.label, reference.file, { ...common, WEB_CONCURRENCY: String(CORES), ...reference.env })),
  ];
  const saturationSpecs = specs.filter((spec): spec is TargetSpec<SaturationTarget> => spec.name !== 'service-async');
  // One round per order of a balanced design (six for six servers). In three rotated rounds each server always ran
  // right after the same one, and only one round put the service first and raw last: on the thirty-third machine
  // that round was the service's best against raw in seven runs of eight (BENCHMARKS.md).
  const saturationOrders = balancedOrders(saturationSpecs).slice(0, quick ? 1 : undefined);

  say(`livechat-session benchmark — ${new Date().toISOString()}`);
  say(`machine: ${CORES} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}${quick ? ' — QUICK RUN, figures not representative' : ''}`);
  say(`PostgreSQL ${DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@')} (pools of ${databasePoolMax} per worker), Redis ${REDIS_URL}`);
  say();

  await clearRateLimitKeys();
  await resetServiceTables();

  // Every server is up (and idle) for the whole run, so that the rounds can alternate between them: a
  // change in the machine's load then touches all of them instead of whichever happened to run last.
  const targets = new Map<TargetName, Target>();
  let fixedRate: FixedRate;
  let fixedRateBursts: Load;
  let fixedRateRaw: FixedRate;
  let fixedRateAsync: FixedRate;
  let checkpointed = true;
  const rounds: Round[] = [];
  try {
    for (const spec of specs) {
      say(`starting ${spec.label}…`);
      const target = await startTarget(spec, workDir);
      targets.set(spec.name, target);
      await waitReady(target, spec.probe);
      await warmUp(target.url);
    }
    const service = targets.get('service')!;

    // One 30 s run's p99 is its 30th-slowest answer, and moved by 3.6 ms between runs of the same build on a quiet
    // machine: the service's and raw's runs alternate, and each figure pools every answer of its rounds.
    const fixedRuns = { service: [] as FixedRateRun[], raw: [] as FixedRateRun[], 'service-async': [] as FixedRateRun[] };
    const fixedRateSeries = [
      { name: 'service', tag: '1', label: specs[0]!.label },
      { name: 'raw', tag: '1c', label: 'the raw node:http reference' },
      { name: 'service-async', tag: '1d', label: 'the service with asynchronous commit' },
    ] as const;
    // Each wait serves twice: the run before it is then fully counted, and the run after it starts from a count
    // that holds nothing of it.
    await statisticsSettled();
    for (let round = 0; round < PHASES.fixedRate.rounds; round += 1) {
      for (const { name, tag, label } of fixedRateSeries) {
        say(`(${tag}) fixed rate, round ${round + 1}/${PHASES.fixedRate.rounds}: ${PHASES.fixedRate.rate} requests/s for ${PHASES.fixedRate.seconds} s against ${label}…`);
        checkpointed = (await checkpoint()) && checkpointed;
        const times: number[] = [];
        const flushesBefore = await walFlushes();
        const result = await load(targets.get(name)!.url, {
          connections: PHASES.fixedRate.connections,
          seconds: PHASES.fixedRate.seconds,
          overallRate: PHASES.fixedRate.rate,
          onResponseTime: (milliseconds) => times.push(milliseconds),
        });
        await statisticsSettled();
        const flushesAfter = await walFlushes();
        const flushes = flushesBefore === undefined || flushesAfter === undefined ? undefined : flushesAfter - flushesBefore;
        fixedRuns[name].push({ load: result, times, walFlushes: flushes });
      }
    }
    fixedRate = fixedRateRounds(fixedRuns.service);
    fixedRateRaw = fixedRateRounds(fixedRuns.raw);
    fixedRateAsync = fixedRateRounds(fixedRuns['service-async']);
    say(`(1b) fixed rate in bursts: ${PHASES.fixedRate.rate} requests/s over ${PHASES.fixedRate.burstConnections} connections for ${PHASES.fixedRate.seconds} s…`);
    fixedRateBursts = await load(service.url, { connections: PHASES.fixedRate.burstConnections, seconds: PHASES.fixedRate.seconds, overallRate: PHASES.fixedRate.rate });

    for (const [round, order] of saturationOrders.entries()) {
      say(`round ${round + 1}/${saturationOrders.length}: (3) RS256 baseline on ${CORES} threads for ${PHASES.baselineSeconds} s, then (2) ${PHASES.saturation.connections} connections for ${PHASES.saturation.seconds} s on each server (${order.map((spec) => spec.name).join(', ')}), after ${PHASES.saturationWarmupSeconds} s of the same not counted…`);
      const signaturesPerSecond = await signingBaseline(privateKeyPem, PHASES.baselineSeconds);
      const results = {} as Round['results'];
      for (const spec of order) {
        const target = targets.get(spec.name)!;
        await warmUp(target.url, PHASES.saturationWarmupSeconds);
        const before = cpuByProcess();
        const result = await load(target.url, PHASES.saturation);
        results[spec.name] = { ...result, cpu: cpuPerRequest(before, cpuByProcess(), target.child.pid, result.ok) };
      }
      rounds.push({ signaturesPerSecond, results });
      // Each server's figure at its place in the order, so that a reader can see whether a place favours it.
      say(`    ${fmt(signaturesPerSecond)} signatures/s; 2xx/s in order: ${order.map((spec) => `${spec.name} ${fmt(results[spec.name].requestsPerSecond)}`).join(', ')}`);
    }
  } finally {
    for (const [name, target] of targets) {
      const code = await stopTarget(target);
      if (name === 'service' && code !== 0) say(`    warning: the service exited with ${code} on SIGTERM (log: ${target.logFile})`);
    }
    // A failed run cleans up too: the shared database and Redis lose the bench's rows and keys, and the key
    // file goes; the servers' logs stay in the work folder when the run failed.
    await Promise.allSettled([resetServiceTables(), clearRateLimitKeys()]);
    rmSync(common.JWT_PRIVATE_KEY_FILE, { force: true });
  }
  rmSync(workDir, { recursive: true, force: true });

  const of = (name: SaturationTarget, pick: (result: Round['results'][SaturationTarget]) => number): number => median(rounds.map((r) => pick(r.results[name])));
  const sum = (name: SaturationTarget, pick: (result: Load) => number): number => rounds.reduce((total, r) => total + pick(r.results[name]), 0);
  /** Per round, within which the machine's load is about the same for all servers. */
  const roundRatios = (a: SaturationTarget, b: SaturationTarget | 'baseline'): number[] =>
    rounds.map((r) => r.results[a].requestsPerSecond / (b === 'baseline' ? r.signaturesPerSecond : r.results[b].requestsPerSecond));
  const ratio = (a: SaturationTarget, b: SaturationTarget | 'baseline'): number => median(roundRatios(a, b));
  /** The rounds' own ratios, so that a reader sees how far one run's median can be trusted. */
  const spread = (a: SaturationTarget, b: SaturationTarget, percent = false): string =>
    `rounds: ${roundRatios(a, b).map((value) => (percent ? fmt(value * 100, 1) : fmt(value, 2))).join(', ')}`;
  const check = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const cpu = (name: SaturationTarget, share: CpuShare): string => {
    const values = rounds.map((r) => r.results[name].cpu[share]);
    return values.every((value) => value !== undefined) ? `${fmt(median(values))} µs` : 'n/a';
  };

  say();
  const fixedRunsLabel = `${PHASES.fixedRate.rounds} × ${PHASES.fixedRate.seconds} s`;
  say(`(1) ${specs[0]!.label}, fixed ${PHASES.fixedRate.rate} requests/s, ${PHASES.fixedRate.connections} connection, ${fixedRunsLabel} (every answer's own time, pooled):`);
  say(fixedRateLine(fixedRate));
  say(`(1b) the same rate in bursts of ${PHASES.fixedRate.burstConnections} simultaneous requests (${PHASES.fixedRate.burstConnections} connections, ${PHASES.fixedRate.seconds} s):`);
  say(latencyLine(fixedRateBursts));
  say(`(1c) the raw node:http reference at the same rate, ${PHASES.fixedRate.connections} connection, ${fixedRunsLabel}, alternating with (1) (the machine's floor for (1)):`);
  say(fixedRateLine(fixedRateRaw));
  say(`(1d) not as deployed: the service with PostgreSQL's asynchronous commit (synchronous_commit=off), alternating with (1): what the commit's disk flush adds to (1):`);
  say(fixedRateLine(fixedRateAsync));
  if (!checkpointed) say('    (PostgreSQL refused CHECKPOINT to this user: the fixed-rate runs started with the warm-up\'s writes pending)');
  say();
  say(`(2) saturation, ${PHASES.saturation.connections} connections, ${PHASES.saturation.seconds} s × ${rounds.length} rounds in a balanced order (medians; errors summed):`);
  say();
  say('| server | 2xx/s | p50 | p99 | max | CPU per request: server | PostgreSQL | Redis | errors | non-2xx |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const spec of saturationSpecs) {
    const name = spec.name;
    say(`| ${spec.label} | ${fmt(of(name, (r) => r.requestsPerSecond))} | ${ms(of(name, (r) => r.p50))} | ${ms(of(name, (r) => r.p99))} | ${ms(of(name, (r) => r.max))} | ${cpu(name, 'server')} | ${cpu(name, 'postgres')} | ${cpu(name, 'redis')} | ${sum(name, (r) => r.errors)} | ${sum(name, (r) => r.non2xx)} |`);
  }
  say();
  say(`(3) baseline: ${fmt(median(rounds.map((r) => r.signaturesPerSecond)))} RS256 signatures/s on ${CORES} threads (rounds: ${rounds.map((r) => fmt(r.signaturesPerSecond)).join(', ')})`);
  say(`    service saturation / baseline: ${fmt(ratio('service', 'baseline') * 100, 1)} %`);
  say();
  const vsExpress = ratio('service', 'express');
  const vsExpressPem = ratio('service', 'express-pem');
  const vsRaw = ratio('service', 'raw');
  const stackVsRaw = ratio('koa', 'raw');
  const vsStack = ratio('service', 'koa');
  const fixedOk = fixedRate.p99 < P99_LINE_MS && fixedRate.errors === 0 && fixedRate.non2xx === 0;
  say(`service, ${CORES} workers / 1 worker: ${fmt(ratio('service', 'service-1'), 2)}×`);
  const atLeast = (value: number, line: number, digits: number, unit: string, rounds: string): string =>
    `${figureBeside(value, line, digits)}${unit} (target ≥ ${line}${unit}: ${check(value >= line)}; ${rounds})`;
  say(`service / express (KeyObject): ${atLeast(vsExpress, EXPRESS_LINE_TIMES, 2, '×', spread('service', 'express'))}`);
  say(`service / express (PEM string): ${atLeast(vsExpressPem, EXPRESS_LINE_TIMES, 2, '×', spread('service', 'express-pem'))}`);
  say(`service / raw node:http: ${atLeast(vsRaw * 100, RAW_LINE_PERCENT, 1, ' %', spread('service', 'raw', true))}`);
  say(`    of which the design card's stack: Koa reference / raw ${fmt(stackVsRaw * 100, 1)} %; the service's own work: service / Koa reference ${fmt(vsStack * 100, 1)} %`);
  say(`fixed rate: p99 ${p99Ms(fixedRate.p99)}, ${fixedRate.errors} errors, ${fixedRate.non2xx} non-2xx (target p99 < ${P99_LINE_MS} ms and none: ${check(fixedOk)}; rounds: ${fixedRate.roundP99s.map(exactMs).join(', ')}; raw node:http: p99 ${p99Ms(fixedRateRaw.p99)}; with asynchronous commit: p99 ${p99Ms(fixedRateAsync.p99)})`);
};

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
