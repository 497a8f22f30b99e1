import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { makeFolders } from '../adapters/files/makeFolders.js';
import { ConfigError } from './config.js';

const makeFolder = (folder: string, problem: (code: string) => string): void => {
  try {
    makeFolders(folder, 0o700);
    // One left by another user (a first start as root, say) exists all the same: what fails is writing in it.
    accessSync(folder, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError([problem((error as NodeJS.ErrnoException).code ?? 'unknown error')]);
  }
};

/**
 * DATA_DIR, or a folder in it, created owner-only where missing. One that cannot be, or that the service may not
 * write in (DATA_DIR a regular file, or another user's folder), is a setting to mend, said as such, not as Node's
 * error about a mkdir, nor as what the embedded database makes of it.
 */
export const folderInDataDir = (dataDir: string, name?: string): string => {
  makeFolder(dataDir, (code) => `DATA_DIR ${dataDir} is not a folder it can use (${code})`);
  if (name === undefined) return dataDir;
  const folder = path.join(dataDir, name);
  makeFolder(folder, (code) => `DATA_DIR ${dataDir}: ${folder} is not a folder it can use (${code})`);
  return folder;
};
