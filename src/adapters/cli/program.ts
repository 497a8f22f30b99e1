import { Command, CommanderError } from 'commander';
import type { CliDependencies } from './cliDependencies.js';
import { defineKeysCommand } from './keysCommand.js';
import { defineMigrateCommand } from './migrateCommand.js';
import { definePruneCommand } from './pruneCommand.js';
import { defineSeedCommand } from './seedCommand.js';

/** Runs one `livechat …` command line; resolves to the process exit code. */
export const runCli = async (argv: readonly string[], deps: CliDependencies): Promise<number> => {
  let exitCode = 0;
  const exitWith = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('livechat')
    .description('Operations tool of the live chat session service: seed sessions, prune old ones, run migrations, generate keys.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => deps.io.stdout.write(text), writeErr: (text) => deps.io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)');
  defineSeedCommand(program, deps, exitWith);
  defineMigrateCommand(program, deps, exitWith);
  definePruneCommand(program, deps, exitWith);
  defineKeysCommand(program, deps, exitWith);

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    deps.io.stderr.write(`livechat: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
};
