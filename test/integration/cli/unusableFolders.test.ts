import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CLI_BIN, cliTestEnv, runCli, type CliResult } from '../support/cliProcess.js';
import { childEnv, watchProcess } from '../support/nodeProcess.js';
import { RUNUSER } from '../support/runuser.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

/**
 * `livechat …` unable to write into `folder`: as root, which writes anywhere, run as `nobody` with the folder left
 * root's; as anyone else, with the folder made read-only.
 */
const runCliKeptOutOf = async (folder: string, args: readonly string[], cwd: string): Promise<CliResult> => {
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return runCli(args, { env: {}, cwd });
  }
  // nobody must reach the folder through the test's own directory, made owner-only.
  chmodSync(cwd, 0o755);
  chmodSync(folder, 0o755);
  const child = spawn(RUNUSER, ['-u', 'nobody', '--', process.execPath, CLI_BIN, ...args], {
    cwd,
    env: childEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cli = watchProcess(child);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
};

describe('livechat with a folder it cannot use (the CLI in a child process)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-cli-folders-');

  it('keys generate into a folder it may not write: names that folder, not a temporary file, and leaves nothing', async () => {
    const keysDir = path.join(workDir(), 'keys');
    mkdirSync(keysDir);
    const result = await runCliKeptOutOf(keysDir, ['keys', 'generate', '--out', keysDir], workDir());
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

  for (const [where, settings] of [
    ['the embedded database', { DATABASE_URL: '' }],
    ['the development key', { JWT_PRIVATE_KEY: '' }],
  ] as const) {
    it(`seed with DATA_DIR a regular file (for ${where}): says so once, as a configuration error`, async () => {
      const dataDir = path.join(workDir(), 'afile');
      writeFileSync(dataDir, '');
      const env = { ...cliTestEnv(dataDir), ...settings };
      const result = await runCli(['seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia'], { env, cwd: workDir() });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(`livechat: Invalid configuration:\n  - DATA_DIR ${dataDir} is not a folder it can use (EEXIST)\n`);
    });
  }
});
