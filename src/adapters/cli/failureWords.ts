import { ApplicationError } from '../../application/errors.js';
import { type CliDependencies, SchemaNotCurrent } from './cliDependencies.js';

export const reasonOf = (error: unknown): string =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/**
 * What the database driver said. knex puts the statement that failed before it (`<statement> - Connection terminated
 * unexpectedly`), and the statement, over several lines, says nothing the operator can act on.
 */
const driverWords = (error: Error): string => {
  const lastLine = error.message.slice(error.message.lastIndexOf('\n') + 1);
  const statementEnd = error.message.includes('\n') ? lastLine.indexOf(' - ') : -1;
  return (statementEnd === -1 ? error.message : lastLine.slice(statementEnd + ' - '.length)) || reasonOf(error);
};

/**
 * Why a run stopped early, for the operator. The store's failure is said in words, naming the database and what the
 * driver said (`connect ECONNREFUSED …`), as a failure to reach it at start is: its code alone (store_unavailable)
 * says neither what failed nor where to look.
 */
export const whyStopped = (failure: unknown, database: string): string => {
  if (!(failure instanceof ApplicationError && failure.code === 'store_unavailable')) return reasonOf(failure);
  const { cause } = failure;
  return `the database became unavailable (${database}${cause instanceof Error ? `: ${driverWords(cause)}` : ''})`;
};

/** A schema left behind is the operator's to fix, with one command: said in one sentence, never as the SQL that failed. */
export const unlessSchemaBehind = async (command: string, deps: CliDependencies, run: () => Promise<number>): Promise<number> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof SchemaNotCurrent)) throw error;
    deps.io.stderr.write(`livechat ${command}: ${error.message}: run \`livechat migrate\`\n`);
    return 1;
  }
};
