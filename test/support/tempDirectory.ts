import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Gives each test of the calling `describe` a new empty directory outside the project, removed after the
 * test. Returns the current test's directory; call it inside a test or a hook.
 */
export const directoryPerTest = (prefix: string): (() => string) => {
  let directory: string | undefined;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });
  return () => {
    if (directory === undefined) throw new Error('directoryPerTest: only inside a test or its hooks');
    return directory;
  };
};
