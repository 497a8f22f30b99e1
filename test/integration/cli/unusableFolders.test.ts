import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CLI_BIN, cliTestEnv, runCli, spawnCli, type CliResult } from '../support/cliProcess.js';
import { childEnv, exitedWithin, watchProcess } from '../support/nodeProcess.js';
import { RUNUSER } from '../support/runuser.js';
import { testPrivateKeyPem } from '../../support/keys.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

const nobody = (): { uid: number; gid: number } => ({
  uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })),
  gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })),
});

/**
 * `livechat …` as a user to whom `kept` (a folder or a file) belongs to another: as root, which reads and writes
 * anywhere, run as `nobody` with `kept` left root's and the folders in `own` given to nobody; as anyone else, with
 * `kept` made read-only (a folder) or unreadable (a file).
 */
const runCliKeptOutOf = async (
  kept: string,
  args: readonly string[],
  { cwd, env = {}, own = [] }: { cwd: string; env?: Record<string, string>; own?: readonly string[] },
): Promise<CliResult> => {
  const folder = statSync(kept).isDirectory();
  if (process.getuid?.() !== 0) {
    chmodSync(kept, folder ? 0o555 : 0o000);
    return runCli(args, { env, cwd });
  }
  // nobody must reach the folders through the test's own directory, made owner-only.
  chmodSync(cwd, 0o755);
  chmodSync(kept, folder ? 0o755 : 0o600);
  const { uid, gid } = nobody();
  for (const ownFolder of own) chownSync(ownFolder, uid, gid);
  const child = spawn(RUNUSER, ['-u', 'nobody', '--', process.execPath, CLI_BIN, ...args], {
    cwd,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli = watchProcess(child);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
};

const SEED_ONE = ['seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia'];

describe('livechat with a folder it cannot use (the CLI in a child process)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-cli-folders-');

  it('keys generate into a folder it may not write: names that folder, not a temporary file, and leaves nothing', async () => {
    const keysDir = path.join(workDir(), 'keys');
    mkdirSync(keysDir);
    const result = await runCliKeptOutOf(keysDir, ['keys', 'generate', '--out', keysDir], { cwd: workDir() });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`livechat keys generate: cannot write the keys into ${keysDir} (EACCES: permission denied)\n`);
    expect(result.stdout).to.equal('');
    expect(readdirSync(keysDir)).to.deep.equal([]);
  });

  it('keys generate --out a regular file: names it, as the folder that cannot take the keys', async () => {
    const aFile = path.join(workDir(), 'afile');
    writeFileSync(aFile, '');
    const result = await runCli(['keys', 'generate', '--out', aFile], { env: {}, cwd: workDir() });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`livechat keys generate: cannot write the keys into ${aFile} (ENOTDIR: not a directory)\n`);
  });

  it('keys generate --out, or DATA_DIR, under /proc, where no folder can be made: says so and exits, where Node 20 spun', async () => {
    // Node 20's own recursive mkdir never returns there; a CLI still busy after 20 s is stopped, so that it fails the test.
    const run = async (args: readonly string[], env: Record<string, string>): Promise<CliResult | 'still running'> => {
      const cli = spawnCli(args, { env, cwd: workDir() });
      const code = await exitedWithin(cli, 20_000);
      return code === 'still running' ? code : { code, stdout: cli.stdout(), stderr: cli.stderr() };
    };

    expect(await run(['keys', 'generate', '--out', '/proc/x/keys'], {})).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: 'livechat keys generate: cannot write the keys into /proc/x/keys (ENOENT: no such file or directory)\n',
    });
    expect(await run(SEED_ONE, { ...cliTestEnv('/proc/x'), JWT_PRIVATE_KEY: '' })).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: 'livechat: Invalid configuration:\n  - DATA_DIR /proc/x is not a folder it can use (ENOENT)\n',
    });
  });

  for (const [where, settings] of [
    ['the embedded database', { DATABASE_URL: '' }],
    ['the development key', { JWT_PRIVATE_KEY: '' }],
  ] as const) {
    it(`seed with DATA_DIR a regular file (for ${where}): says so once, as a configuration error`, async () => {
      const dataDir = path.join(workDir(), 'afile');
      writeFileSync(dataDir, '');
      const env = { ...cliTestEnv(dataDir), ...settings };
      const result = await runCli(SEED_ONE, { env, cwd: workDir() });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(`livechat: Invalid configuration:\n  - DATA_DIR ${dataDir} is not a folder it can use (EEXIST)\n`);
    });
  }

  it("seed on the embedded database with another user's DATA_DIR: says so as a configuration error, not as the lock's mkdir", async () => {
    const dataDir = path.join(workDir(), 'data');
    mkdirSync(dataDir);
    const env = { ...cliTestEnv(dataDir), DATABASE_URL: '' };
    const result = await runCliKeptOutOf(dataDir, SEED_ONE, { cwd: workDir(), env });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`livechat: Invalid configuration:\n  - DATA_DIR ${dataDir} is not a folder it can use (EACCES)\n`);
    expect(readdirSync(dataDir)).to.deep.equal([]);
  });

  it("seed with the embedded database's folder another user's: names that folder, where PGlite said [object Object]", async () => {
    const dataDir = path.join(workDir(), 'data');
    const databaseDir = path.join(dataDir, 'pglite');
    mkdirSync(databaseDir, { recursive: true });
    const env = { ...cliTestEnv(dataDir), DATABASE_URL: '' };
    const result = await runCliKeptOutOf(databaseDir, SEED_ONE, { cwd: workDir(), env, own: [dataDir] });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      `livechat: Invalid configuration:\n  - DATA_DIR ${dataDir}: ${databaseDir} is not a folder it can use (EACCES)\n`,
    );
  });

  it("seed with the development key another user's: names the file as a configuration error", async () => {
    const dataDir = path.join(workDir(), 'data');
    const keysDir = path.join(dataDir, 'keys');
    mkdirSync(keysDir, { recursive: true });
    const keyFile = path.join(keysDir, 'jwt-private.pem');
    writeFileSync(keyFile, testPrivateKeyPem());
    const env = { ...cliTestEnv(dataDir), JWT_PRIVATE_KEY: '' };
    const result = await runCliKeptOutOf(keyFile, SEED_ONE, { cwd: workDir(), env, own: [dataDir, keysDir] });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`livechat: Invalid configuration:\n  - DATA_DIR ${dataDir}: cannot read ${keyFile} (EACCES)\n`);
  });
});
