import type { Command } from 'commander';
import type { CliDependencies } from './cliDependencies.js';

export const defineMigrateCommand = (program: Command, deps: CliDependencies, exitWith: (code: number) => void): void => {
  program
    .command('migrate')
    .description('apply the pending database migrations (the same ones the server runs at start), or undo the last batch')
    .option('--rollback', 'undo the last batch of migrations (undoing the first drops the guests and sessions tables, with all their data)')
    .action(async (options: { rollback?: boolean }) => {
      const { report, droppedTables } = await deps.migrate(options.rollback === true ? 'rollback' : 'latest');
      deps.io.stdout.write(`${report}\n`);
      // Undoing the first migration drops the guests and sessions: said apart, on stderr, where it cannot pass for
      // a routine report.
      if (droppedTables.length > 0) {
        deps.io.stderr.write(`livechat migrate: warning: dropped the tables ${droppedTables.join(', ')}, with all the data they held\n`);
      }
      exitWith(0);
    });
};
