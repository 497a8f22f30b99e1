import type { Writable } from 'node:stream';
import { ApplicationError } from '../../application/errors.js';
import type { StartSession } from '../../application/startSession.js';
import type { RawProfile } from '../../domain/listenerProfile.js';
import type { Locale } from '../messages/locale.js';
import { profileErrorMap } from '../messages/profileMessages.js';
import { requestErrorMessage } from '../messages/requestMessages.js';
import { startedSessionView } from '../views/startedSessionView.js';
import type { ListenerRow } from './listenerRows.js';
import { rowProblemMessage } from './rowMessages.js';
import type { SeedProgress } from './seedProgress.js';
import { written } from './written.js';

export interface BatchSeedOptions {
  readonly rows: AsyncIterable<ListenerRow>;
  readonly startSession: StartSession;
  /** Gets one whole JSON line per stored session. */
  readonly output: Writable;
  readonly concurrency: number;
  readonly locale: Locale;
  readonly progress: SeedProgress;
  /** Aborted: read no further row, let the sessions in flight finish and be printed. */
  readonly signal: AbortSignal;
}

/** A session stored whose line the output did not take: its token is lost, and its id is all that finds it. */
export interface UnwrittenSession {
  readonly line: number;
  readonly sessionId: string;
}

export interface BatchSeedOutcome {
  /** Sessions stored and their lines written. */
  readonly created: number;
  readonly failed: number;
  /** Sessions stored while the output was failing, in the order they were stored. */
  readonly unwritten: readonly UnwrittenSession[];
  readonly interrupted: boolean;
  /**
   * The last line of the last row taken, 0 before any: every row up to it is done (created, refused or stored
   * without its line), none after it was read, so a run stopped early resumes on the line after it.
   */
  readonly linesRead: number;
  /** What ended the run early: the store failing, or the file unreadable. */
  readonly failure: unknown;
  /** The output failing (a full disk, a closed pipe), which ends the run early too. */
  readonly writeFailure: unknown;
}

/**
 * Seeds a session per row through the use case, at most `concurrency` at a time. The file is read only as
 * fast as sessions are stored and printed (a slow consumer of the output slows the reading), so memory stays
 * flat however long the file is. A session is printed only once its row is committed, and counted as created
 * only once its line is written. Lines being written are bounded apart from the sessions being stored (waiting
 * for a line's write in a session's place made seeding 15 % slower): once the output fails no session starts,
 * so at most twice `concurrency` sessions, those in flight and those whose lines were pending, are stored
 * without their lines.
 */
export const seedBatch = async (options: BatchSeedOptions): Promise<BatchSeedOutcome> => {
  const { rows, startSession, output, concurrency, locale, progress, signal } = options;
  let created = 0;
  let failed = 0;
  let failure: unknown;
  let writeFailure: unknown;
  const unwritten: UnwrittenSession[] = [];
  let linesRead = 0;
  const inFlight = new Set<Promise<void>>();
  const writing = new Set<Promise<void>>();
  // Progress is the part of the file whose rows are done, not how far it has been read (the reader runs ahead of
  // the work, a whole file of a few thousand rows at once). Rows end out of order: each adds its own bytes, those
  // from the end of the row before it to its own end, once done.
  let bytesDone = 0;
  let bytesTaken = 0;
  const shareOf = (row: ListenerRow): number => {
    const share = Math.max(0, row.end - bytesTaken);
    bytesTaken += share;
    return share;
  };

  const counted = (share: number): void => {
    bytesDone += share;
    progress.update({ created, failed, bytesDone });
  };
  // A record over several lines was refused whole: each of its lines is lost with it.
  const reject = (line: number, share: number, errors: Record<string, string[]>, lastLine = line): void => {
    failed += 1;
    progress.log(`${lastLine > line ? `lines ${line}–${lastLine}` : `line ${line}`}: ${JSON.stringify({ errors })}`);
    counted(share);
  };

  const seedRow = async (line: number, share: number, profile: RawProfile): Promise<void> => {
    try {
      const outcome = await startSession.execute({ profile });
      if (!outcome.ok) {
        reject(line, share, profileErrorMap(locale, outcome.error));
        return;
      }
      const view = startedSessionView(outcome.value);
      // One write per line, so concurrent sessions never interleave inside a line.
      const write: Promise<void> = written(output, `${JSON.stringify({ line, ...view })}\n`).then((writeError) => {
        writing.delete(write);
        if (writeError === undefined) {
          created += 1;
        } else {
          writeFailure ??= writeError;
          unwritten.push({ line, sessionId: view.sessionId });
        }
        counted(share);
      });
      writing.add(write);
    } catch (error) {
      const known = error instanceof ApplicationError && error.code === 'store_unavailable';
      reject(line, share, { row: [requestErrorMessage(locale, known ? 'store_unavailable' : 'internal')] });
      failure ??= error;
    }
  };

  const stopped = (): boolean => signal.aborted || failure !== undefined || writeFailure !== undefined;

  try {
    for await (const row of rows) {
      if (stopped()) break;
      if ('problem' in row) {
        reject(row.line, shareOf(row), { row: [rowProblemMessage(locale, row.problem)] }, row.lastLine);
      } else {
        const task: Promise<void> = seedRow(row.line, shareOf(row), row.profile).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      // Rows come in file order, so the last one taken is the furthest.
      linesRead = row.lastLine ?? row.line;
      // Waiting for the lines too is what makes a slow consumer of the output slow the reading.
      while (inFlight.size >= concurrency || writing.size >= concurrency) await Promise.race([...inFlight, ...writing]);
      // Checked again after waiting, so that an interrupt during the wait reads no further row.
      if (stopped()) break;
    }
  } catch (error) {
    failure ??= error;
  } finally {
    await Promise.all(inFlight);
    await Promise.all(writing);
  }
  return { created, failed, unwritten, interrupted: signal.aborted, linesRead, failure, writeFailure };
};
