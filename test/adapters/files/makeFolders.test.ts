import { readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { makeFolders } from '../../../src/adapters/files/makeFolders.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

const codeOf = (make: () => void): string | undefined => {
  try {
    make();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  throw new Error('it made the folder');
};

// Where Node 20's recursive mkdir hangs (under /proc) is tested on the CLI, in a child process that can be stopped.
describe('makeFolders', () => {
  const workDir = directoryPerTest('livechat-folders-');

  it('makes every missing folder with the mode given, and leaves one that exists as it is', () => {
    const deepest = path.join(workDir(), 'a', 'b', 'c');
    makeFolders(deepest, 0o700);
    for (const folder of ['a', 'a/b', 'a/b/c']) {
      const made = statSync(path.join(workDir(), folder));
      expect(made.isDirectory(), folder).to.equal(true);
      expect(made.mode & 0o777, folder).to.equal(0o700);
    }
    writeFileSync(path.join(deepest, 'kept'), 'x');
    makeFolders(deepest, 0o700);
    makeFolders(path.relative(process.cwd(), deepest), 0o700);
    expect(readdirSync(deepest)).to.deep.equal(['kept']);
  });

  it('fails as mkdir does where a file stands in the way, or a symbolic link leads nowhere', () => {
    const aFile = path.join(workDir(), 'afile');
    writeFileSync(aFile, '');
    expect(codeOf(() => makeFolders(aFile, 0o700))).to.equal('EEXIST');
    expect(codeOf(() => makeFolders(path.join(aFile, 'x'), 0o700))).to.equal('ENOTDIR');
    const dangling = path.join(workDir(), 'dangling');
    symlinkSync(path.join(workDir(), 'nowhere'), dangling);
    expect(codeOf(() => makeFolders(path.join(dangling, 'x'), 0o700))).to.equal('ENOENT');
  });
});
