import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** The service as `npm start` runs it (`node --import tsx src/infrastructure/main.ts`), in a child process. */
export const spawnService = (env: Record<string, string>): ServiceProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/infrastructure/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
};

/** Polls until the service answers on its port, or fails with what it printed. */
export const waitForHttp = async (service: ServiceProcess, url: string, attempts = 150): Promise<void> => {
  for (let i = 0; i < attempts; i += 1) {
    if (service.child.exitCode !== null) throw new Error(`the service exited early:\n${service.output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the service did not answer at ${url}:\n${service.output()}`);
};
