/**
 * `npm run bench:instructions`: the machine instructions the service, the Koa reference (the design card's stack)
 * and the raw reference each execute per request, counted by valgrind's callgrind. A count does not move with
 * what else the host runs, where throughput on a shared machine moved by a fifth between runs (BENCHMARKS.md).
 * One worker each, one after the other, on the local PostgreSQL and Redis: warmed up, then counted over three
 * windows of a fixed number of requests each, the steadiest of which is reported. Figures only; 25–40 minutes.
 *
 *   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/test
 *   BENCH_REDIS_URL     default redis://127.0.0.1:6379
 *   --quick             a few requests, to try the script itself (figures not worth recording)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { newRsaPrivateKeyPem } from '../src/adapters/token/signingKey.js';
import { BENCH_BODY, clearRateLimitKeys, resetServiceTables } from './benchStores.js';
import { indexOfLeast, parseCallgrind, selfInstructions, type CallgrindProfile } from './callgrindProfile.js';
import { say } from './output.js';
import { ensureReferenceDependencies, referenceSpec, serverEnvironment, serviceSpec, startTarget, stopTarget, waitReady, type Target, type TargetSpec } from './targets.js';

const quick = process.argv.includes('--quick');
// One worker natively optimized and deoptimized most of what it would within ~9,000 requests (--trace-opt,
// 2026-12-06); after 1,500 its optimizing compiler was still an eighth of every request's count.
const WARMUP_REQUESTS = quick ? 300 : 10_000;
const COUNTED_REQUESTS = quick ? 200 : 4_000;
/**
 * V8 was still optimizing a few large functions after the warm-up, and code it deoptimized runs slower until then,
 * so one window's count moved by up to a fifth from run to run (BENCHMARKS.md, the twenty-ninth machine). Of
 * several windows one after the other, the one with the least compiling is the closest to the steady state.
 */
const WINDOWS = quick ? 2 : 3;

/** The signature's modular exponentiation in OpenSSL, the same work in every server. */
const SIGNATURE_ARITHMETIC = /^(rsaz_|bn_|BN_|ossl_rsaz|ossl_bn)/;
/**
 * V8's optimizing compilers, still at work after the warm-up (a few functions per thousand requests): apart, so
 * that a run's compiling shows and stays out of the rest.
 */
const OPTIMIZING_COMPILER = /v8::internal::(compiler|maglev)::/;

interface Count {
  readonly spec: TargetSpec;
  /** One profile per window, in the order they were counted. */
  readonly windows: readonly CallgrindProfile[];
}

const requireCallgrind = (): void => {
  for (const tool of ['valgrind', 'callgrind_control']) {
    const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (probe.error !== undefined || probe.status !== 0) {
      throw new Error(`${tool} was not found: this benchmark counts instructions with valgrind (Debian: apt-get install valgrind)`);
    }
  }
};

/**
 * Zeroes or dumps the counts of a server under callgrind. valgrind names the files it is reached through after
 * the USER and HOST of its environment (the service's HOST is its listening address), so the control runs with
 * the server's own. It says it found no such process on stdout, with status 0.
 */
const callgrindControl = (command: '--zero' | '--dump', target: Target): void => {
  const pid = String(target.child.pid);
  const result = spawnSync('callgrind_control', [command, pid], { encoding: 'utf8', env: target.env });
  if (result.status !== 0 || /^Error/m.test(result.stdout)) {
    throw new Error(`callgrind_control ${command} ${pid} failed: ${result.stderr}${result.stdout}`);
  }
};

/** `amount` requests one after the other on one connection; every answer must be a 2xx. */
const send = async (url: string, amount: number): Promise<void> => {
  const result = await autocannon({
    url: `${url}/livechat/session`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BENCH_BODY,
    connections: 1,
    amount,
    // Under valgrind a request takes some 50 times as long as it does natively.
    timeout: 60,
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors and ${result.non2xx} non-2xx answers`);
};

const count = async (spec: TargetSpec, workDir: string): Promise<Count> => {
  const dumpFile = path.join(workDir, `${spec.name}.callgrind`);
  const launcher = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${dumpFile}`, '--dump-instr=no'];
  say(`${spec.label}: starting under callgrind, ${WARMUP_REQUESTS} requests to warm up, then ${WINDOWS} windows of ${COUNTED_REQUESTS} counted…`);
  const target = await startTarget(spec, workDir, launcher);
  try {
    await waitReady(target, spec.probe, 300);
    await send(target.url, WARMUP_REQUESTS);
    callgrindControl('--zero', target);
    // Each dump zeroes the counters, so each window counts only its own requests.
    for (let window = 1; window <= WINDOWS; window += 1) {
      await send(target.url, COUNTED_REQUESTS);
      callgrindControl('--dump', target);
    }
  } finally {
    await stopTarget(target, 120_000);
  }
  // The dumps asked for are `<file>.1`, `<file>.2`, … by the time the process has ended; the one at exit is `<file>`.
  const windows = Array.from({ length: WINDOWS }, (_, index) => parseCallgrind(readFileSync(`${dumpFile}.${index + 1}`, 'utf8')));
  return { spec, windows };
};

const millions = (instructions: number): string => `${(instructions / 1e6).toFixed(3)} M`;
const percent = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)} %`;

const main = async (): Promise<void> => {
  requireCallgrind();
  ensureReferenceDependencies();
  const workDir = mkdtempSync(path.join(tmpdir(), 'livechat-instructions-'));
  const common = { ...serverEnvironment(workDir, newRsaPrivateKeyPem(2048), 4), WEB_CONCURRENCY: '1' };
  // The service first: as deployed but in one process, and it migrates the tables the references write into.
  const specs = [
    serviceSpec('service', 'service (1 worker)', common, { DATA_DIR: path.join(workDir, 'data') }),
    referenceSpec('koa', "Koa reference (design card's stack, 1 worker)", 'koa.js', common),
    referenceSpec('raw', 'raw node:http reference (1 worker)', 'raw.js', common),
  ];

  say(`livechat-session instruction counts — ${new Date().toISOString()}`);
  say(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}${quick ? ' — QUICK RUN, figures not representative' : ''}`);
  say();
  await clearRateLimitKeys();
  await resetServiceTables();
  const counts: Count[] = [];
  try {
    for (const spec of specs) counts.push(await count(spec, workDir));
  } finally {
    await Promise.allSettled([resetServiceTables(), clearRateLimitKeys()]);
    rmSync(common.JWT_PRIVATE_KEY_FILE, { force: true });
  }
  rmSync(workDir, { recursive: true, force: true });

  const perRequest = (profile: CallgrindProfile, pattern?: RegExp): number =>
    (pattern === undefined ? profile.total : selfInstructions(profile, pattern)) / COUNTED_REQUESTS;
  // The same arithmetic in every server, and V8's optimizing of code it keeps optimizing after the warm-up (a
  // few functions per thousand requests, each many million instructions): the rest is what each server does.
  const rest = (profile: CallgrindProfile): number =>
    perRequest(profile) - perRequest(profile, SIGNATURE_ARITHMETIC) - perRequest(profile, OPTIMIZING_COMPILER);
  const steadiest = counts.map(({ spec, windows }) => {
    const index = indexOfLeast(windows, OPTIMIZING_COMPILER);
    return { spec, index, profile: windows[index]! };
  });
  say();
  say(`Instructions per request, all threads, in the window of ${COUNTED_REQUESTS} requests with the least compiling (of ${WINDOWS}, after ${WARMUP_REQUESTS} not counted):`);
  say();
  say("| server | window | in all | the signature's big-number arithmetic | V8's optimizing compiler | the rest |");
  say('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { spec, index, profile } of steadiest) {
    say(`| ${spec.label} | ${index + 1} | ${millions(perRequest(profile))} | ${millions(perRequest(profile, SIGNATURE_ARITHMETIC))} | ${millions(perRequest(profile, OPTIMIZING_COMPILER))} | ${millions(rest(profile))} |`);
  }
  const [service, koa, raw] = steadiest.map(({ profile }) => profile) as [CallgrindProfile, CallgrindProfile, CallgrindProfile];
  const shares = (of: (profile: CallgrindProfile) => number): string =>
    `service ${percent(of(raw), of(service))}, Koa reference ${percent(of(raw), of(koa))}; the service ${percent(of(koa), of(service))} of the Koa reference`;
  say();
  say("Raw's count as a share of the others' (the throughput ratio if every instruction took the same time):");
  say(`    in all: ${shares(perRequest)}`);
  say(`    the rest: ${shares(rest)}`);
  say();
  // Code V8 deoptimized runs unoptimized until it is optimized again, so the rest can rise with the compiler's column.
  say('Every window, in order (the one with the least compiling is shown above):');
  for (const c of counts) {
    say(`    ${c.spec.label}: the rest ${c.windows.map((w) => millions(rest(w))).join(', ')}; the compiler ${c.windows.map((w) => millions(perRequest(w, OPTIMIZING_COMPILER))).join(', ')}`);
  }
  say("valgrind runs OpenSSL's AVX2 code (it has no AVX-512), so the signature's share here may be larger than natively.");
};

main().catch((error: unknown) => {
  process.stderr.write(`instruction count failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
