/** The servers a benchmark runs: started as child processes on free ports, waited for, and stopped. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/freePort.js';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL } from './localServices.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, '..');

/** How to start one server: Node's arguments, where, with what, and the path that answers 200 once it is ready. */
export interface TargetSpec<Name extends string = string> {
  readonly name: Name;
  readonly label: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly probe: string;
}

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly logFile: string;
  /** The whole environment it was started with. */
  readonly env: Record<string, string>;
}

/**
 * What every server under test is given: the local PostgreSQL and Redis, the signing key (written into `workDir`), a
 * fresh cookie secret, and a rate limit so high that every request still makes its Redis round trip but none is
 * refused.
 */
export const serverEnvironment = (workDir: string, privateKeyPem: string, databasePoolMax: number) => {
  const keyFile = path.join(workDir, 'jwt-private.pem');
  writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
  return {
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL: BENCH_REDIS_URL,
    DATABASE_POOL_MAX: String(databasePoolMax),
    JWT_PRIVATE_KEY_FILE: keyFile,
    COOKIE_SECRET: randomBytes(32).toString('base64url'),
    RATE_LIMIT_MAX: '1000000',
  };
};

/**
 * The service as deployed: production mode, access log at info (to its log file), on `common` (serverEnvironment's)
 * and `env`. No load balancer needs a drain before it stops (production's default is 5 s).
 */
export const serviceSpec = <Name extends string>(name: Name, label: string, common: Record<string, string>, env: Record<string, string>): TargetSpec<Name> => ({
  name,
  label,
  args: ['--import', 'tsx', 'src/infrastructure/main.ts'],
  cwd: ROOT,
  env: { ...common, NODE_ENV: 'production', HOST: '127.0.0.1', SHUTDOWN_DRAIN_MS: '0', ...env },
  probe: '/readyz',
});

/** A reference server of `bench/reference`. */
export const referenceSpec = <Name extends string>(name: Name, label: string, file: string, env: Record<string, string>): TargetSpec<Name> => ({
  name,
  label,
  args: [path.join(BENCH_DIR, 'reference', file)],
  cwd: BENCH_DIR,
  env,
  probe: '/healthz',
});

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts `node args…` with only the spec's `env` (and PATH, HOME, PORT), its output to `workDir/<name>.log`. With a
 * `launcher` (a command and its arguments), Node runs under it: `launcher… node args…`, in the same process.
 */
export const startTarget = async ({ name, args, cwd, env: own }: TargetSpec, workDir: string, launcher: readonly string[] = []): Promise<Target> => {
  const port = await freePort();
  const logFile = path.join(workDir, `${name}.log`);
  const log = openSync(logFile, 'w');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...own, PORT: String(port) };
  const [command, ...launcherArgs] = [...launcher, process.execPath];
  const child = spawn(command, [...launcherArgs, ...args], { cwd, env, stdio: ['ignore', log, log] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { name, url: `http://127.0.0.1:${port}`, child, exited, logFile, env };
};

/** Polls `probe` until it answers 200; fails with the target's log if it exits or takes longer than `seconds`. */
export const waitReady = async (target: Target, probe: string, seconds = 30): Promise<void> => {
  for (let i = 0; i < seconds * 10; i += 1) {
    if (target.child.exitCode !== null) throw new Error(`${target.name} exited early:\n${readFileSync(target.logFile, 'utf8')}`);
    try {
      if ((await fetch(`${target.url}${probe}`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${target.name} was not ready after ${seconds} s:\n${readFileSync(target.logFile, 'utf8')}`);
};

export const stopTarget = async (target: Target, patienceMs = 15_000): Promise<number | null> => {
  target.child.kill('SIGTERM');
  const timer = setTimeout(() => target.child.kill('SIGKILL'), patienceMs);
  const code = await target.exited;
  clearTimeout(timer);
  return code;
};

/** Installs bench/'s dependencies when any is missing (a fresh clone, or a reference added since). */
export const ensureReferenceDependencies = (): void => {
  const { dependencies } = JSON.parse(readFileSync(path.join(BENCH_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  if (Object.keys(dependencies).every((name) => existsSync(path.join(BENCH_DIR, 'node_modules', name, 'package.json')))) return;
  process.stdout.write('Installing the reference servers\' dependencies (npm ci --prefix bench)…\n');
  const installed = spawnSync('npm', ['ci', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: ROOT });
  if (installed.status !== 0) throw new Error('npm ci --prefix bench failed');
};
