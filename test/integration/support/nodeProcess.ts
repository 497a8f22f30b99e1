import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';

/** One JSON line of the service's pino log. */
export interface LogLine {
  readonly msg?: string;
  /** The process that wrote the line. */
  readonly pid?: number;
  /** The worker a cluster primary's line is about ("worker listening", "a worker died"). */
  readonly workerPid?: number;
  readonly [key: string]: unknown;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Both streams, in the order they arrived. */
  readonly output: () => string;
  /** The JSON log lines printed so far, on either stream. */
  readonly logLines: () => LogLine[];
  /** Resolves with the exit code (null when ended by a signal) once every byte of both pipes has been read. */
  readonly exited: Promise<number | null>;
}

/** A child's environment: only PATH and `env`. */
export const childEnv = (env: Record<string, string>): Record<string, string> => ({ PATH: process.env.PATH ?? '', ...env });

/** Collects what a child spawned with piped stdout and stderr prints. */
export const watchProcess = (child: ChildProcess & { stdout: Readable; stderr: Readable }): NodeProcess => {
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    output += chunk.toString('utf8');
  });
  // 'close', not 'exit': 'exit' can come before the last output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const logLines = (): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return { child, stdout: () => stdout, stderr: () => stderr, output: () => output, logLines, exited };
};

/** `node …args` in a child process with only PATH and `env` set. */
export const spawnNode = (args: readonly string[], options: { env: Record<string, string>; cwd: string }): NodeProcess =>
  watchProcess(spawn(process.execPath, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] }));

/** The exit code, or 'still running' after `ms`: the child is then killed (SIGKILL), so that it cannot outlive the test. */
export const exitedWithin = async (node: NodeProcess, ms: number): Promise<number | null | 'still running'> => {
  const exited = await Promise.race([node.exited, setTimeout(ms, 'still running' as const, { ref: false })]);
  if (exited === 'still running') node.child.kill('SIGKILL');
  return exited;
};
