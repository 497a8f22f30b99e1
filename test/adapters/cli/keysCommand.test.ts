import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runCli } from '../../../src/adapters/cli/program.js';
import { testCliDependencies } from '../../support/cliDependencies.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

const keysGenerate = async (...args: string[]) => {
  const { deps, stdout, stderr } = testCliDependencies();
  const code = await runCli(['node', 'livechat', 'keys', 'generate', ...args], deps);
  return { code, stdout: stdout(), stderr: stderr() };
};

describe('livechat keys generate, when the keys cannot be written', () => {
  const workDir = directoryPerTest('livechat-keys-');

  it('names the directory given, with the reason, not the path Node tried', async () => {
    const aFile = path.join(workDir(), 'afile');
    writeFileSync(aFile, '');
    const result = await keysGenerate('--out', aFile);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(`livechat keys generate: cannot write the keys into ${aFile} (ENOTDIR: not a directory)\n`);
    expect(result.stdout).to.equal('');
  });

  for (const force of [[], ['--force']]) {
    it(`refuses a folder where a key goes, naming it, with or without --force (${force.join('') || 'without'})`, async () => {
      const keysDir = path.join(workDir(), 'keys');
      mkdirSync(path.join(keysDir, 'jwt-private.pem'), { recursive: true });
      writeFileSync(path.join(keysDir, 'jwt-public.pem'), 'the old public key');
      const result = await keysGenerate('--out', keysDir, ...force);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.equal(
        `livechat keys generate: ${path.join(keysDir, 'jwt-private.pem')} is a folder, not a key file; move it away, or write the keys elsewhere with --out\n`,
      );
      expect(readFileSync(path.join(keysDir, 'jwt-public.pem'), 'utf8')).to.equal('the old public key');
      expect(readdirSync(keysDir).sort()).to.deep.equal(['jwt-private.pem', 'jwt-public.pem']);
    });
  }

  it('with --force, leaves only the new pair behind once it is written', async () => {
    const keysDir = path.join(workDir(), 'keys');
    mkdirSync(keysDir);
    writeFileSync(path.join(keysDir, 'jwt-private.pem'), 'the old private key');
    writeFileSync(path.join(keysDir, 'jwt-public.pem'), 'the old public key');
    const result = await keysGenerate('--out', keysDir, '--force');
    expect(result.code, result.stderr).to.equal(0);
    expect(readFileSync(path.join(keysDir, 'jwt-private.pem'), 'utf8')).to.include('PRIVATE KEY');
    expect(readFileSync(path.join(keysDir, 'jwt-public.pem'), 'utf8')).to.include('PUBLIC KEY');
    expect(readdirSync(keysDir).sort()).to.deep.equal(['jwt-private.pem', 'jwt-public.pem']);
  });
});
