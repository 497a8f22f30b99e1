import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError } from '../../src/infrastructure/config.js';
import { folderInDataDir } from '../../src/infrastructure/dataDir.js';
import { directoryPerTest } from '../support/tempDirectory.js';

const problemsOf = (make: () => unknown): readonly string[] => {
  try {
    make();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('no ConfigError');
};

describe('folderInDataDir', () => {
  const workDir = directoryPerTest('livechat-datadir-');

  it('creates DATA_DIR and the folder asked for, owner-only', () => {
    const dataDir = path.join(workDir(), 'data');
    expect(folderInDataDir(dataDir, 'keys')).to.equal(path.join(dataDir, 'keys'));
    expect(statSync(path.join(dataDir, 'keys')).mode & 0o777).to.equal(0o700);
    expect(folderInDataDir(dataDir, 'keys'), 'and finds them there the next time').to.equal(path.join(dataDir, 'keys'));
  });

  it('names DATA_DIR as a setting to mend when it is a regular file, or under one', () => {
    const aFile = path.join(workDir(), 'afile');
    writeFileSync(aFile, '');
    expect(problemsOf(() => folderInDataDir(aFile))).to.deep.equal([`DATA_DIR ${aFile} is not a folder it can use (EEXIST)`]);
    expect(problemsOf(() => folderInDataDir(aFile, 'keys'))).to.deep.equal([`DATA_DIR ${aFile} is not a folder it can use (EEXIST)`]);
    const under = path.join(aFile, 'data');
    expect(problemsOf(() => folderInDataDir(under))).to.deep.equal([`DATA_DIR ${under} is not a folder it can use (ENOTDIR)`]);
  });

  it('names the folder in DATA_DIR that is a regular file', () => {
    writeFileSync(path.join(workDir(), 'keys'), '');
    expect(problemsOf(() => folderInDataDir(workDir(), 'keys'))).to.deep.equal([
      `DATA_DIR ${workDir()}: ${path.join(workDir(), 'keys')} is not a folder it can use (EEXIST)`,
    ]);
  });
});
