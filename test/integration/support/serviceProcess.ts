import { PROJECT_ROOT } from '../../support/projectRoot.js';
import { spawnNode, type LogLine, type NodeProcess } from './nodeProcess.js';

/** The service as `npm start` runs it (`node --import tsx src/infrastructure/main.ts`), in a child process. */
export const spawnService = (env: Record<string, string>): NodeProcess =>
  spawnNode(['--import', 'tsx', 'src/infrastructure/main.ts'], { env, cwd: PROJECT_ROOT });

/**
 * Polls until the service answers on its port, or fails with what it printed. The bound is time, not attempts:
 * a first start with the embedded database (WebAssembly PostgreSQL, migrations, development keys) took over 15 s
 * on a 2-core machine busy with other work, within the 30 s a test may take.
 */
export const waitForHttp = async (service: NodeProcess, url: string, withinMs = 25_000): Promise<void> => {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`the service exited early:\n${service.output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the service did not answer at ${url}:\n${service.output()}`);
};

/** The log lines carrying `msg`. */
export const linesSaying = (service: NodeProcess, msg: string): LogLine[] => service.logLines().filter((line) => line.msg === msg);

/** Polls the service's log until `count` lines carry `msg`, or fails with what it printed. */
export const waitForLog = async (service: NodeProcess, msg: string, count: number): Promise<LogLine[]> => {
  for (let i = 0; i < 150; i += 1) {
    const lines = linesSaying(service, msg);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${count} "${msg}" lines in:\n${service.output()}`);
};
