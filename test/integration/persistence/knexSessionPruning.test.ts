import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { DELETE_EXPIRED_SESSIONS, KnexSessionPruning } from '../../../src/adapters/persistence/knexSessionPruning.js';
import { KnexSessionRepository } from '../../../src/adapters/persistence/knexSessionRepository.js';
import { daysBefore } from '../../support/days.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { sessionRow } from '../support/sessionRows.js';

const CUTOFF = new Date('2026-01-01T00:00:00Z');

/** Until a statement of another connection to this database waits for a lock. */
const untilOneWaitsForALock = async (database: Knex): Promise<void> => {
  for (let tries = 0; tries < 1000; tries += 1) {
    const waiting = await database.raw<{ rows: { count: number }[] }>(
      "select count(*)::int as count from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (waiting.rows[0]?.count === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no statement came to wait for a lock');
};

describe('KnexSessionPruning (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let database: Knex;
  let pruning: KnexSessionPruning;

  /** Stores a session that expires `daysBeforeCutoff` days before the cutoff (negative: after it); its id. */
  const aSession = async (guestId: string, daysBeforeCutoff: number, transaction: Knex | Knex.Transaction = database): Promise<string> => {
    const row = sessionRow(guestId, daysBefore(CUTOFF, daysBeforeCutoff));
    await transaction('sessions').insert(row);
    return row.id;
  };

  const aGuest = async (): Promise<string> => {
    const id = randomUUID();
    await database('guests').insert({ id });
    return id;
  };

  const sessionIds = async (): Promise<string[]> => (await database('sessions').orderBy('id').pluck<string[]>('id')).sort();
  const guestIds = async (): Promise<string[]> => (await database('guests').pluck<string[]>('id')).sort();

  before(async () => {
    scratch = await createScratchDatabase('livechat_pruning');
    database = scratch.database;
    await database.migrate.latest();
    pruning = new KnexSessionPruning(database);
  });

  beforeEach(async () => {
    await database('guests').delete();
  });

  after(async () => {
    await scratch.drop();
  });

  it('deletes the sessions expired before the cutoff, oldest first, at most the limit, and the guests left without any', async () => {
    // Stored out of expiry order, so that only an oldest-first delete takes the two oldest.
    const returning = await aGuest();
    const laterStill = await aSession(returning, 10);
    const gone = await aGuest();
    await aSession(gone, 30);
    await aSession(returning, 20);
    const kept = await aSession(returning, -1);
    const atTheCutoff = await aSession(await aGuest(), 0);

    expect(await pruning.countPrunable(CUTOFF)).to.deep.equal({ sessions: 3, guests: 1 });

    expect(await pruning.pruneBatch(CUTOFF, 2)).to.deep.equal({ sessions: 2, guests: 1 });
    expect(await sessionIds()).to.deep.equal([laterStill, kept, atTheCutoff].sort());
    expect(await guestIds()).to.not.include(gone);

    expect(await pruning.pruneBatch(CUTOFF, 2)).to.deep.equal({ sessions: 1, guests: 0 });
    expect(await pruning.pruneBatch(CUTOFF, 2)).to.deep.equal({ sessions: 0, guests: 0 });
    expect(await sessionIds()).to.deep.equal([kept, atTheCutoff].sort());
    expect(await guestIds()).to.include(returning);
    expect(await pruning.countPrunable(CUTOFF)).to.deep.equal({ sessions: 0, guests: 0 });
  });

  it('finds the expired sessions through the index on their expiry, not by reading the table', async () => {
    await database.raw('analyze sessions');
    // A table this small is read whole whatever the indexes: how a large one is read shows with that ruled out.
    const plan = await database.transaction(async (transaction) => {
      await transaction.raw('set local enable_seqscan = off');
      return transaction.raw<{ rows: { 'QUERY PLAN': string }[] }>(`explain ${DELETE_EXPIRED_SESSIONS}`, [CUTOFF, 1000]);
    });
    // The expired range searched in the index, not the whole index read in order and filtered.
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).to.match(/Index Scan using sessions_expires_at_idx .*\n\s+Index Cond: \(expires_at < /);
  });

  it('keeps a guest for whom a session is being stored while its last expired one is pruned', async () => {
    const guest = await aGuest();
    await aSession(guest, 5);
    // As a session's insert does while it checks its foreign key: the guest is held until it commits.
    const starting = await database.transaction();
    try {
      await starting.raw('select id from guests where id = ? for key share', [guest]);
      const pruned = pruning.pruneBatch(CUTOFF, 10);
      await untilOneWaitsForALock(database);
      const started = await aSession(guest, -30, starting);
      await starting.commit();

      expect(await pruned).to.deep.equal({ sessions: 1, guests: 0 });
      expect(await sessionIds()).to.deep.equal([started]);
      expect(await guestIds()).to.deep.equal([guest]);
    } finally {
      if (!starting.isCompleted()) await starting.rollback();
    }
  });

  it('stores a returning guest’s session for a new guest when the claimed one is pruned while it is being stored', async () => {
    const repository = new KnexSessionRepository(database);
    const guest = await aGuest();
    // As pruning does: the guest is locked, then deleted, and committed.
    const pruningTransaction = await database.transaction();
    try {
      await pruningTransaction.raw('select id from guests where id = ? for update', [guest]);
      const newGuestId = randomUUID();
      const saved = repository.saveGuestSession({
        id: randomUUID(),
        claimedGuestId: guest,
        newGuestId,
        profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' },
        startedAt: new Date('2026-12-07T00:00:00Z'),
        expiresAt: new Date('2026-12-08T00:00:00Z'),
      });
      await untilOneWaitsForALock(database);
      await pruningTransaction('guests').where({ id: guest }).delete();
      await pruningTransaction.commit();

      expect((await saved).userId).to.equal(newGuestId);
      expect(await guestIds()).to.deep.equal([newGuestId]);
    } finally {
      if (!pruningTransaction.isCompleted()) await pruningTransaction.rollback();
    }
  });
});
