import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FilesNotWritten, writeTogether } from '../../../src/adapters/cli/filesTogether.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

const failureOf = (write: () => void): FilesNotWritten => {
  try {
    write();
  } catch (error) {
    expect(error).to.be.instanceOf(FilesNotWritten);
    return error as FilesNotWritten;
  }
  throw new Error('writeTogether did not fail');
};

describe('writeTogether', () => {
  const workDir = directoryPerTest('livechat-together-');

  it('writes every file with its mode, leaving nothing else behind', () => {
    const first = path.join(workDir(), 'first');
    const second = path.join(workDir(), 'second');
    writeFileSync(first, 'old');
    writeTogether([
      { file: first, content: 'one', mode: 0o600 },
      { file: second, content: 'two', mode: 0o644 },
    ]);
    expect(readFileSync(first, 'utf8')).to.equal('one');
    expect(statSync(first).mode & 0o777).to.equal(0o600);
    expect(statSync(second).mode & 0o777).to.equal(0o644);
    expect(readdirSync(workDir()).sort()).to.deep.equal(['first', 'second']);
  });

  it('all or none: a later file that cannot be put in place puts the earlier one back as it was', () => {
    const first = path.join(workDir(), 'first');
    const second = path.join(workDir(), 'second');
    writeFileSync(first, 'the old first', { mode: 0o600 });
    // Renaming a file onto a directory fails (EISDIR) after the first file has been renamed into place.
    mkdirSync(path.join(second, 'in-the-way'), { recursive: true });
    const failure = failureOf(() =>
      writeTogether([
        { file: first, content: 'the new first', mode: 0o600 },
        { file: second, content: 'the new second', mode: 0o644 },
      ]),
    );
    expect((failure.cause as NodeJS.ErrnoException).code).to.equal('EISDIR');
    expect(failure.stillNew).to.deep.equal([]);
    expect(readFileSync(first, 'utf8')).to.equal('the old first');
    expect(readdirSync(workDir()).sort(), 'no temporary file, no kept old one').to.deep.equal(['first', 'second']);
  });

  it('all or none: a first file that was new is removed again', () => {
    const first = path.join(workDir(), 'first');
    const second = path.join(workDir(), 'second');
    mkdirSync(path.join(second, 'in-the-way'), { recursive: true });
    failureOf(() =>
      writeTogether([
        { file: first, content: 'the new first', mode: 0o600 },
        { file: second, content: 'the new second', mode: 0o644 },
      ]),
    );
    expect(readdirSync(workDir())).to.deep.equal(['second']);
  });
});
