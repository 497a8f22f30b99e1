import path from 'node:path';
import { spawnNode, type NodeProcess } from './nodeProcess.js';
import { PROJECT_ROOT } from './serviceProcess.js';

export const CLI_BIN = path.join(PROJECT_ROOT, 'bin', 'livechat.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `livechat …` as an operator runs it: node with the bin, in a child process, from the given directory. */
export const spawnCli = (args: readonly string[], options: { env: Record<string, string>; cwd: string }): NodeProcess =>
  spawnNode([CLI_BIN, ...args], options);

export const runCli = async (args: readonly string[], options: { env: Record<string, string>; cwd: string }): Promise<CliResult> => {
  const cli = spawnCli(args, options);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
};
