import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * `mkdirSync(folder, { recursive: true, mode })`, but failing where Node 20's never returns: a folder whose parent
 * exists yet takes no new entry, answering ENOENT (anywhere under /proc), sends its recursive mkdir back to the parent
 * and round again, forever. So the first missing folder is made alone, which fails there as it should, and the rest
 * recursively below it.
 */
export const makeFolders = (folder: string, mode: number): void => {
  let firstMissing = path.resolve(folder);
  while (!existsSync(path.dirname(firstMissing))) firstMissing = path.dirname(firstMissing);
  if (!existsSync(firstMissing)) {
    try {
      mkdirSync(firstMissing, { mode });
    } catch (error) {
      // Made meanwhile, or a dangling symbolic link: the recursive mkdir below takes it as it always has.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  mkdirSync(folder, { recursive: true, mode });
};
