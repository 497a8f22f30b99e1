import { Writable } from 'node:stream';
import { expect } from 'chai';
import { seedBatch } from '../../../src/adapters/cli/batchSeeder.js';
import type { ListenerRow } from '../../../src/adapters/cli/listenerRows.js';
import type { SeedProgress } from '../../../src/adapters/cli/seedProgress.js';
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

const silentProgress = (logged: string[] = []): SeedProgress => ({ update: () => undefined, log: (line) => logged.push(line), stop: () => undefined });

async function* rowsOf(count: number, read: { count: number }): AsyncGenerator<ListenerRow> {
  for (let line = 2; line < count + 2; line += 1) {
    // A file is read asynchronously: each row arrives on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    read.count += 1;
    yield { line, profile: aProfile().build() };
  }
}

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
      bytesRead: () => 0,
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
      bytesRead: () => 0,
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

  it('stops at the first store failure, reporting the row, and returns the failure', async () => {
    const repository = new InMemorySessionRepository();
    repository.failWith = new Error('connection refused');
    const logged: string[] = [];
    const outcome = await seedBatch({
      rows: rowsOf(100, { count: 0 }),
      startSession: startSessionWith(repository),
      output: collect().stream,
      concurrency: 1,
      locale: 'en',
      progress: silentProgress(logged),
      bytesRead: () => 0,
      signal: new AbortController().signal,
    });

    expect(outcome.created).to.equal(0);
    expect(outcome.failed).to.equal(1);
    expect((outcome.failure as Error).message).to.equal('connection refused');
    expect(logged).to.deep.equal(['line 2: {"errors":{"row":["Something went wrong on the server. Please try again."]}}']);
  });
});
