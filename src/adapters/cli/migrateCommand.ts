import type { Command } from 'commander';
import type { CliDependencies } from './cliDependencies.js';

export const defineMigrateCommand = (program: Command, deps: CliDependencies, exitWith: (code: number) => void): void => {
  program
    .command('migrate')
    .description('apply the pending database migrations (the same ones the server runs at start), or undo the last batch')
    .option('--rollback', 'undo the last batch of migrations')
    .action(async (options: { rollback?: boolean }) => {
      deps.io.stdout.write(`${await deps.migrate(options.rollback === true ? 'rollback' : 'latest')}\n`);
      exitWith(0);
    });
};
