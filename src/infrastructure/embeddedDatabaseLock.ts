import { createRequire } from 'node:module';
import type ProperLockfile from 'proper-lockfile';
import type { Logger } from 'pino';
import { expectedFailure } from '../adapters/http/expectedFailure.js';

/**
 * A holder refreshes its lock every `refreshMs`; one left unrefreshed for `staleMs` (its holder was killed, or
 * crashed) is taken over. Refreshing needs the event loop, which PGlite blocks in one piece while it creates a new
 * database: 8 s measured on a 2-core machine at a load of 1.5, 19 s with both cores saturated. A shorter stale
 * time would let a second process in during that stall; the price is that a killed process's lock lasts 20 s.
 */
export const EMBEDDED_DATABASE_LOCK = { staleMs: 20_000, refreshMs: 1_000 } as const;

/** The lock: a directory beside the database's, which proper-lockfile creates and removes. */
export const lockPathOf = (folder: string): string => `${folder}.lock`;

// Loaded only for the embedded database, like PGlite itself: signal-exit, which proper-lockfile uses to remove
// its locks at exit, hooks the process's signals and exit, which a process on DATABASE_URL has no use for.
const load = createRequire(import.meta.url);

/**
 * Holds the embedded database in `folder` for this process alone: PGlite serves one process, and two writing
 * the same folder lose rows or corrupt it, without either noticing. Returns the release, which may be called
 * more than once; a process that exits without calling it releases the lock all the same.
 */
export const lockEmbeddedDatabase = (folder: string, logger: Logger): (() => void) => {
  const lockfile = load('proper-lockfile') as typeof ProperLockfile;
  let release: () => void;
  try {
    release = lockfile.lockSync(folder, {
      stale: EMBEDDED_DATABASE_LOCK.staleMs,
      update: EMBEDDED_DATABASE_LOCK.refreshMs,
      // realpath would refuse the folder before PGlite's first start, which creates it.
      realpath: false,
      lockfilePath: lockPathOf(folder),
      // proper-lockfile's default throws from a timer, which would end a server that is still serving.
      onCompromised: (error) =>
        logger.warn(
          { err: expectedFailure(error), folder },
          'lost the lock on the embedded database: another process may be using it too; stop the others and restart this one',
        ),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new Error(
        `the embedded database in ${folder} is in use by another process (the service or another livechat command): ` +
          'the embedded database serves one process at a time. Stop that process and try again, or set DATABASE_URL ' +
          `to use a PostgreSQL server. (If that process was killed, the folder is free again within ${EMBEDDED_DATABASE_LOCK.staleMs / 1000} s.)`,
        { cause: error },
      );
    }
    throw new Error(`cannot lock the embedded database in ${folder}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      release();
    } catch (error) {
      // Lost already (onCompromised said so): there is nothing left to give back.
      if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
    }
  };
};
