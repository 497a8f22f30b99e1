import { Writable } from 'node:stream';
import { expect } from 'chai';
import { seedBatch } from '../../../src/adapters/cli/batchSeeder.js';
import type { ListenerRow } from '../../../src/adapters/cli/listenerRows.js';
import type { SeedCounts, SeedProgress } from '../../../src/adapters/cli/seedProgress.js';
import type { NewGuestSession } from '../../../src/application/ports/sessionRepository.js';
import { StartSession } from '../../../src/application/startSession.js';
import type { Session } from '../../../src/domain/session.js';
import { aProfile } from '../../support/builders.js';
import { FixedClock, InMemorySessionRepository, RecordingTokenIssuer, SequentialIds } from '../../support/fakes.js';

/** Holds every save until released, so a test can see how many are in flight at once. */
class GatedRepository extends InMemorySessionRepository {
  inFlight = 0;
  maxInFlight = 0;
  private waiting: (() => void)[] = [];

  override async saveGuestSession(session: NewGuestSession): Promise<Session> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight -= 1;
    return super.saveGuestSession(session);
  }

  releaseAll(): void {
    for (const release of this.waiting.splice(0)) release();
  }
}

const collect = (): { stream: Writable; lines: () => string[] } => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return { stream, lines: () => text.split('\n').filter((line) => line !== '') };
};

/** Takes the first `accepted` lines, then fails every write, as a disk that fills up does. */
const fillingUp = (accepted: number): { stream: Writable; lines: () => string[] } => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (lines.length === accepted) {
        callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
        return;
      }
      lines.push(chunk.toString('utf8').trimEnd());
      callback();
    },
  });
  // As the CLI does: an 'error' nobody listens for would be thrown.
  stream.on('error', () => undefined);
  return { stream, lines: () => lines };
};

const silentProgress = (logged: string[] = []): SeedProgress => ({ update: () => undefined, log: (line) => logged.push(line), stop: () => undefined });

/** A file is read asynchronously: each row arrives on a later tick. */
async function* arriving(rows: readonly ListenerRow[], read = { count: 0 }): AsyncGenerator<ListenerRow> {
  for (const row of rows) {
    await new Promise((resolve) => setImmediate(resolve));
    read.count += 1;
    yield row;
  }
}

/** Rows of 10 bytes after a header of 10, from line 2. */
const rowsOf = (count: number, read: { count: number }): AsyncGenerator<ListenerRow> =>
  arriving(Array.from({ length: count }, (_, index) => ({ line: index + 2, end: 10 * (index + 2), profile: aProfile().build() })), read);

/** Lets every pending tick run: rows arrive, sessions start and wait at the gate. */
const settle = async (): Promise<void> => {
  for (let tick = 0; tick < 20; tick += 1) await new Promise((resolve) => setImmediate(resolve));
};

const startSessionWith = (repository: InMemorySessionRepository): StartSession =>
  new StartSession({
    sessions: repository,
    tokens: new RecordingTokenIssuer(repository),
    clock: new FixedClock(new Date('2026-01-01T00:00:00Z')),
    ids: new SequentialIds(),
    sessionLifetimeSeconds: 3600,
  });

describe('seedBatch', () => {
  it('never has more than `concurrency` sessions in flight, and reads no further ahead than that', async () => {
    const repository = new GatedRepository();
    const read = { count: 0 };
    const output = collect();
    const running = seedBatch({
      rows: rowsOf(50, read),
      startSession: startSessionWith(repository),
      output: output.stream,
      concurrency: 4,
      locale: 'id',
      progress: silentProgress(),
      signal: new AbortController().signal,
    });
    for (let turn = 0; turn < 200 && repository.sessions.length < 50; turn += 1) {
      await settle();
      expect(read.count - repository.sessions.length).to.be.at.most(4);
      repository.releaseAll();
    }
    const outcome = await running;

    expect(repository.maxInFlight).to.equal(4);
    expect(outcome).to.include({ created: 50, failed: 0, interrupted: false });
    expect(output.lines()).to.have.length(50);
  });

  it('when aborted, reads no further row but finishes and prints the sessions already in flight', async () => {
    const repository = new GatedRepository();
    const read = { count: 0 };
    const output = collect();
    const abort = new AbortController();
    const running = seedBatch({
      rows: rowsOf(1_000, read),
      startSession: startSessionWith(repository),
      output: output.stream,
      concurrency: 3,
      locale: 'id',
      progress: silentProgress(),
      signal: abort.signal,
    });
    await settle();
    expect(repository.inFlight).to.equal(3);
    abort.abort();
    repository.releaseAll();
    const outcome = await running;

    expect(outcome).to.include({ created: 3, failed: 0, interrupted: true });
    expect(read.count).to.equal(3);
    const printed = output.lines().map((line) => JSON.parse(line) as { sessionId: string });
    expect(printed.map((session) => session.sessionId).sort()).to.deep.equal(repository.sessions.map((session) => session.id).sort());
  });

  it('shows as done the bytes of the rows done, each row once it is done, whatever the order rows end in', async () => {
    const repository = new GatedRepository();
    const updates: SeedCounts[] = [];
    const running = seedBatch({
      rows: arriving([
        { line: 2, end: 30, profile: aProfile().build() },
        { line: 3, end: 50, problem: 'not_json' },
        { line: 5, end: 80, profile: aProfile().build() },
      ]),
      startSession: startSessionWith(repository),
      output: collect().stream,
      concurrency: 3,
      locale: 'en',
      progress: { ...silentProgress(), update: (counts) => updates.push(counts) },
      signal: new AbortController().signal,
    });
    await settle();

    // The whole file has been read, but only the refused row is done: its own 20 bytes.
    expect(repository.inFlight).to.equal(2);
    expect(updates).to.deep.equal([{ created: 0, failed: 1, bytesDone: 20 }]);
    repository.releaseAll();
    await running;
    expect(updates.at(-1)).to.deep.equal({ created: 2, failed: 1, bytesDone: 80 });
  });

  it('stops when the output fails, counting as created only the sessions whose lines were written, and returns the others by line and id', async () => {
    const repository = new InMemorySessionRepository();
    const read = { count: 0 };
    const output = fillingUp(5);
    const outcome = await seedBatch({
      rows: rowsOf(100, read),
      startSession: startSessionWith(repository),
      output: output.stream,
      concurrency: 3,
      locale: 'en',
      progress: silentProgress(),
      signal: new AbortController().signal,
    });

    expect(outcome).to.include({ created: 5, failed: 0, interrupted: false, failure: undefined });
    expect((outcome.writeFailure as NodeJS.ErrnoException).code).to.equal('ENOSPC');
    const written = output.lines().map((line) => (JSON.parse(line) as { sessionId: string }).sessionId);
    expect(written).to.have.length(5);
    const unwritten = outcome.unwritten.map((session) => session.sessionId);
    expect([...written, ...unwritten].sort(), 'every stored session written or returned, none twice').to.deep.equal(
      repository.sessions.map((session) => session.id).sort(),
    );
    // Once the failure is known no session starts: only those in flight and those whose lines were pending.
    expect(unwritten.length).to.be.within(1, 2 * 3);
    expect(read.count).to.be.at.most(5 + 2 * 3);
    expect(outcome.unwritten.every(({ line }) => line >= 2 && line < 2 + read.count)).to.equal(true);
  });

  /** Seeds a row at a time, in English, keeping what it reports. */
  const seedReporting = async (rows: AsyncIterable<ListenerRow>, repository = new InMemorySessionRepository()) => {
    const logged: string[] = [];
    const outcome = await seedBatch({
      rows,
      startSession: startSessionWith(repository),
      output: collect().stream,
      concurrency: 1,
      locale: 'en',
      progress: silentProgress(logged),
      signal: new AbortController().signal,
    });
    return { outcome, logged };
  };

  it('reports a refused row by its line, and one over several lines by all of them', async () => {
    const { outcome, logged } = await seedReporting(
      arriving([
        { line: 2, end: 20, problem: 'wrong_column_count' },
        { line: 3, end: 90, problem: 'bad_quotes', lastLine: 9 },
      ]),
    );

    expect(outcome.failed).to.equal(2);
    expect(logged).to.deep.equal([
      'line 2: {"errors":{"row":["The number of columns does not match the header."]}}',
      'lines 3–9: {"errors":{"row":["A quote is opened but never closed: the lines after it were read as part of this one."]}}',
    ]);
  });

  it('stops at the first store failure, reporting the row, and returns the failure', async () => {
    const repository = new InMemorySessionRepository();
    repository.failWith = new Error('connection refused');
    const { outcome, logged } = await seedReporting(rowsOf(100, { count: 0 }), repository);

    expect(outcome.created).to.equal(0);
    expect(outcome.failed).to.equal(1);
    expect((outcome.failure as Error).message).to.equal('connection refused');
    expect(logged).to.deep.equal(['line 2: {"errors":{"row":["Something went wrong on the server. Please try again."]}}']);
  });
});
