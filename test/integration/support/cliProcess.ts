import { spawn } from 'node:child_process';
import path from 'node:path';
import { testPrivateKeyPem } from '../../support/keys.js';
import { childEnv, spawnNode, watchProcess, type NodeProcess } from './nodeProcess.js';
import { PROJECT_ROOT } from '../../support/projectRoot.js';
import { testDatabaseUrl } from './testServices.js';

export const CLI_BIN = path.join(PROJECT_ROOT, 'bin', 'livechat.js');
/** Preloaded with NODE_OPTIONS, makes every file the CLI wrote to fail as it is closed (EIO). */
export const CLOSE_FAILS_AFTER_WRITE = path.join(PROJECT_ROOT, 'test', 'integration', 'support', 'closeFailsAfterWrite.js');
/** Preloaded with NODE_OPTIONS, makes importing the server's libraries (knex, Koa, Inversify, pg, ioredis) fail. */
export const SERVER_MODULES_REFUSED = path.join(PROJECT_ROOT, 'test', 'integration', 'support', 'serverModulesRefused.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI's settings in a test: the test database (already migrated) and key, and a data folder of the test's own. */
export const cliTestEnv = (dataDir: string): Record<string, string> => ({
  NODE_ENV: 'test',
  DATABASE_URL: testDatabaseUrl(),
  JWT_PRIVATE_KEY: testPrivateKeyPem(),
  DATA_DIR: dataDir,
  MIGRATE_ON_START: 'false',
});

/** knex's own CLI with the project's knexfile, as README has it run (`NODE_OPTIONS="--import tsx" npx knex …`). */
export const runKnexCli = async (args: readonly string[], env: Record<string, string>): Promise<CliResult> => {
  const knexCli = spawnNode(['--import', 'tsx', path.join(PROJECT_ROOT, 'node_modules', 'knex', 'bin', 'cli.js'), ...args], { env, cwd: PROJECT_ROOT });
  const code = await knexCli.exited;
  return { code, stdout: knexCli.stdout(), stderr: knexCli.stderr() };
};

/** `livechat …` as an operator runs it: node with the bin, in a child process, from the given directory. */
export const spawnCli = (args: readonly string[], options: { env: Record<string, string>; cwd: string }): NodeProcess =>
  spawnNode([CLI_BIN, ...args], options);

export const runCli = async (args: readonly string[], options: { env: Record<string, string>; cwd: string }): Promise<CliResult> => {
  const cli = spawnCli(args, options);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
};

/** Runs a command on a pseudo-terminal and passes on all it printed there: see the file. */
const ON_TERMINAL = path.join(PROJECT_ROOT, 'test', 'integration', 'support', 'onTerminal.py');

/**
 * `livechat …` on a terminal of its own, so that it draws its progress bar: onTerminal.py runs it on a
 * pseudo-terminal, whose output (stdout and stderr alike, with \r\n line ends) is the child's stdout. `type`
 * sends keys as an operator would ('\x03' is Ctrl-C). Exit code: the CLI's, or 128 + the signal that ended it.
 */
export const spawnCliOnTerminal = (
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string },
): NodeProcess & { type: (keys: string) => void } => {
  // No shell stands between the terminal and the CLI to take a Ctrl-C of its own.
  const child = spawn('python3', [ON_TERMINAL, process.execPath, CLI_BIN, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { ...watchProcess(child), type: (keys) => child.stdin.write(keys) };
};
