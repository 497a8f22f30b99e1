import type { CliDependencies } from '../adapters/cli/cliDependencies.js';
import { runCli } from '../adapters/cli/program.js';
import { databasePoolMaxOf } from './config.js';
import { onStopSignals } from './stopSignals.js';

// Loaded by the commands that use the database, not before: the container brings in the whole server (Koa, knex,
// the stores' clients, Inversify), about a second's load that `--help`, `keys generate` or a mistyped option would
// otherwise wait for.
const storeCommands = async () => (await import('./cliComposition.js')).storeCommands;

/** `parentAtStart`: the process that started this one, as the bin read it first thing. */
const dependencies = (parentAtStart: number): CliDependencies => ({
  io: {
    // Node creates standard input's stream on first use: only a run that reads it should.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  },
  // The pool's size, read alone so that --help needs no other configuration; beyond it rows only queue for a connection.
  maxConcurrency: databasePoolMaxOf(process.env),
  // A closed terminal (SIGHUP) too: the sessions in flight still reach --out, and its file still matches the database.
  // So does a parent gone, as when the terminal closes: npx runs the bin through `sh -c`, which a SIGTERM sent to
  // npx ends without passing it on, and the seed would otherwise run on unseen to the end of the file.
  onStopSignals: (first, again) =>
    onStopSignals(first, again, ['SIGINT', 'SIGTERM', 'SIGHUP'], { parentGone: { parent: parentAtStart, as: 'SIGHUP' } }),
  openSeeder: async () => (await storeCommands()).openSeeder(),
  openPruner: async () => (await storeCommands()).openPruner(),
  migrate: async (direction) => (await storeCommands()).migrate(direction),
});

/**
 * Runs the command line this process was started with and exits with its code. `parentAtStart` is read by the bin
 * before anything loads: loading takes seconds on a busy machine, and a parent that died meanwhile (npx killed as
 * the command starts) must still count as gone.
 */
export const runCliProcess = async (parentAtStart: number): Promise<never> => {
  // stdout failing is no crash: a reader that closes the pipe early (`livechat … | head`) has nobody left to read,
  // and seed, whose lines are tokens, checks its own writes and says which sessions lost them. Any other command
  // that could not write (a full disk) says so below and fails, rather than end 0 with its output lost.
  let stdoutFailure: NodeJS.ErrnoException | undefined;
  // A terminal that has gone (SIGHUP) fails every later write to stderr: there is nobody left to tell, and the run
  // still winds down, its exit code intact.
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutFailure ??= error;
  });

  let exitCode = await runCli(process.argv, dependencies(parentAtStart));
  // Let stdout and stderr drain before leaving, so that the last printed session line is whole.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  if (stdoutFailure !== undefined && stdoutFailure.code !== 'EPIPE' && exitCode === 0) {
    process.stderr.write(`livechat: cannot write stdout (${stdoutFailure.code ?? stdoutFailure.message})\n`);
    exitCode = 1;
  }
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(exitCode);
};
