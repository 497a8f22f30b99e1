import { Readable, Writable } from 'node:stream';
import type { CliDependencies } from '../../src/adapters/cli/cliDependencies.js';

const collected = (): { stream: Writable; text: () => string } => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return { stream, text: () => text };
};

/**
 * The CLI's dependencies for a command run in this process: what it prints is collected, and what a test does not
 * give (the seeder, the pruner, the migrations) fails if asked for. No stop signal is listened for unless given. `onTerminal`: stderr says it
 * is a terminal, so that seed draws its progress bar there.
 */
export const testCliDependencies = (
  given: Partial<Pick<CliDependencies, 'openSeeder' | 'openPruner' | 'migrate' | 'onStopSignals' | 'pruneProgressIntervalMs'>> = {},
  { onTerminal = false }: { onTerminal?: boolean } = {},
): { deps: CliDependencies; stdout: () => string; stderr: () => string } => {
  const [stdout, stderr] = [collected(), collected()];
  const deps: CliDependencies = {
    io: { stdin: Readable.from([]), stdout: stdout.stream, stderr: Object.assign(stderr.stream, { isTTY: onTerminal }) },
    maxConcurrency: 10,
    openSeeder: () => Promise.reject(new Error('not in this test')),
    openPruner: () => Promise.reject(new Error('not in this test')),
    migrate: () => Promise.reject(new Error('not in this test')),
    onStopSignals: () => () => undefined,
    ...given,
  };
  return { deps, stdout: stdout.text, stderr: stderr.text };
};
