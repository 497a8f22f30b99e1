import { expect } from 'chai';
import { StoreUnavailable } from '../../src/application/errors.js';
import type { PrunedCounts } from '../../src/application/ports/sessionPruning.js';
import { PruneSessions } from '../../src/application/pruneSessions.js';
import { StartSession } from '../../src/application/startSession.js';
import { aProfile } from '../support/builders.js';
import { daysBefore } from '../support/days.js';
import { FixedClock, InMemorySessionRepository, RecordingTokenIssuer, SequentialIds } from '../support/fakes.js';

const LIFETIME_SECONDS = 24 * 60 * 60;

describe('PruneSessions', () => {
  let store: InMemorySessionRepository;
  let clock: FixedClock;
  let startSession: StartSession;

  /** Starts a session `daysAgo` days before the clock's present, for the guest given (or a new one); its guest id. */
  const startedDaysAgo = async (daysAgo: number, returningGuestId?: string): Promise<string> => {
    const present = clock.current;
    clock.current = daysBefore(present, daysAgo);
    const outcome = await startSession.execute({ profile: aProfile().build(), returningGuestId: returningGuestId ?? null });
    clock.current = present;
    if (!outcome.ok) throw new Error('the session did not start');
    return outcome.value.session.userId;
  };

  const pruneSessions = (batchSize = 1000): PruneSessions => new PruneSessions({ pruning: store, clock, batchSize });
  const never = (): boolean => false;

  beforeEach(() => {
    store = new InMemorySessionRepository();
    clock = new FixedClock(new Date('2026-12-07T02:00:00.000Z'));
    startSession = new StartSession({
      sessions: store,
      tokens: new RecordingTokenIssuer(),
      clock,
      ids: new SequentialIds(),
      sessionLifetimeSeconds: LIFETIME_SECONDS,
    });
  });

  it('deletes the sessions that expired more than the kept days ago, and the guests left without any', async () => {
    const gone = await startedDaysAgo(40);
    const returning = await startedDaysAgo(50);
    await startedDaysAgo(3, returning);
    const recent = await startedDaysAgo(29);

    const outcome = await pruneSessions().execute({ keptDays: 30, dryRun: false, stopRequested: never });

    expect(outcome).to.deep.equal({ sessions: 2, guests: 1, expiredBefore: new Date('2026-11-07T02:00:00.000Z'), complete: true });
    expect([...store.guests].sort()).to.deep.equal([returning, recent].sort());
    expect(store.sessions.map((session) => session.userId).sort()).to.deep.equal([returning, recent].sort());
    expect(store.guests.has(gone)).to.equal(false);
  });

  it('keeps a session whose expiry is exactly the cutoff, and everything within it', async () => {
    // Started 31 days ago, it expired 30 days ago to the millisecond: not before the cutoff.
    await startedDaysAgo(31);
    const outcome = await pruneSessions().execute({ keptDays: 30, dryRun: false, stopRequested: never });
    expect(outcome).to.include({ sessions: 0, guests: 0, complete: true });
    expect(store.sessions).to.have.length(1);
  });

  it('works through a backlog a batch at a time, telling the running totals, until a batch comes back short', async () => {
    for (let i = 0; i < 5; i += 1) await startedDaysAgo(400 + i);
    const told: PrunedCounts[] = [];

    const outcome = await pruneSessions(2).execute({ keptDays: 365, dryRun: false, stopRequested: never, onBatch: (so) => told.push(so) });

    expect(store.pruneBatches).to.deep.equal([2, 2, 2]);
    expect(told).to.deep.equal([
      { sessions: 2, guests: 2 },
      { sessions: 4, guests: 4 },
      { sessions: 5, guests: 5 },
    ]);
    expect(outcome).to.include({ sessions: 5, guests: 5, complete: true });
    expect(store.sessions).to.deep.equal([]);
  });

  it('asks one more batch when the last one was exactly full, and stops at its empty answer', async () => {
    for (let i = 0; i < 4; i += 1) await startedDaysAgo(400 + i);
    const outcome = await pruneSessions(2).execute({ keptDays: 365, dryRun: false, stopRequested: never });
    expect(store.pruneBatches).to.deep.equal([2, 2, 2]);
    expect(outcome).to.include({ sessions: 4, complete: true });
  });

  it('stops before the next batch once a stop is asked for, keeping the batches done', async () => {
    for (let i = 0; i < 5; i += 1) await startedDaysAgo(400 + i);
    let stop = false;
    const outcome = await pruneSessions(2).execute({
      keptDays: 365,
      dryRun: false,
      stopRequested: () => stop,
      onBatch: () => {
        stop = true;
      },
    });
    expect(outcome).to.include({ sessions: 2, guests: 2, complete: false });
    expect(store.sessions).to.have.length(3);
  });

  it('in a dry run counts what would go and deletes nothing', async () => {
    await startedDaysAgo(400);
    const returning = await startedDaysAgo(500);
    await startedDaysAgo(450, returning);
    await startedDaysAgo(1, returning);

    const outcome = await pruneSessions().execute({ keptDays: 365, dryRun: true, stopRequested: never });

    expect(outcome).to.include({ sessions: 3, guests: 1, complete: true });
    expect(store.sessions).to.have.length(4);
    expect(store.pruneBatches).to.deep.equal([]);
  });

  it('passes a store failure on', async () => {
    await startedDaysAgo(400);
    store.failWith = new StoreUnavailable();
    let caught: unknown;
    try {
      await pruneSessions().execute({ keptDays: 365, dryRun: false, stopRequested: never });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(StoreUnavailable);
  });
});
