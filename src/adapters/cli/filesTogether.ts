import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, lstatSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FileToWrite {
  readonly file: string;
  readonly content: string;
  readonly mode: number;
}

/** Writing failed and what was done is undone, except `stillNew`: files whose old content could not be put back. */
export class FilesNotWritten extends Error {
  constructor(
    readonly stillNew: readonly string[],
    cause: unknown,
  ) {
    super('files not written', { cause });
    this.name = 'FilesNotWritten';
  }
}

/** Whether anything is at `file`, a symbolic link included, even one to nowhere (which existsSync denies). */
export const isTaken = (file: string): boolean => lstatSync(file, { throwIfNoEntry: false }) !== undefined;

const besides = (file: string, suffix: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.${suffix}`);

/**
 * Writes the files all or none: a key pair half replaced would sign with one key and publish another. Each is
 * first written whole as a new file of its own beside its place (created with the mode, which the umask can only
 * narrow), and only then are they renamed into place. A rename replaces a symbolic link instead of writing where it
 * points, and whoever had the old file open (a key left readable by others) keeps reading the old file, never the
 * new one. Until the last is in place, each file replaced keeps a hard link, so that a later rename failing (its
 * place a directory, say) can put it back. Throws FilesNotWritten, whose cause is the first failure.
 */
export const writeTogether = (files: readonly FileToWrite[]): void => {
  const staged: { readonly file: string; readonly temporary: string }[] = [];
  const keptOld: string[] = [];
  const placed: { readonly file: string; readonly old: string | undefined }[] = [];
  try {
    for (const { file, content, mode } of files) {
      const temporary = besides(file, 'tmp');
      writeFileSync(temporary, content, { mode, flag: 'wx' });
      staged.push({ file, temporary });
      // The public key is meant to be readable by all, whatever the umask took away.
      chmodSync(temporary, mode);
    }
    for (const [index, { file, temporary }] of staged.entries()) {
      // The last one has nothing after it that could fail.
      const old = index < staged.length - 1 && isTaken(file) ? besides(file, 'old') : undefined;
      if (old !== undefined) {
        linkSync(file, old);
        keptOld.push(old);
      }
      renameSync(temporary, file);
      placed.push({ file, old });
    }
  } catch (error) {
    const stillNew = [...placed].reverse().flatMap(({ file, old }) => {
      try {
        if (old === undefined) rmSync(file);
        else renameSync(old, file);
        return [];
      } catch {
        return [file];
      }
    });
    for (const leftover of [...staged.map(({ temporary }) => temporary), ...keptOld]) rmSync(leftover, { force: true });
    throw new FilesNotWritten(stillNew, error);
  }
  for (const old of keptOld) rmSync(old, { force: true });
};
