import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import knex, { type Knex } from 'knex';
import type { NewGuestSession } from '../../../src/application/ports/sessionRepository.js';
import { StoreUnavailable } from '../../../src/application/errors.js';
import { KnexSessionRepository } from '../../../src/adapters/persistence/knexSessionRepository.js';
import { serviceKnexConfig, testDatabaseUrl } from '../support/testServices.js';

const aNewSession = (overrides: Partial<NewGuestSession> = {}): NewGuestSession => ({
  id: randomUUID(),
  claimedGuestId: null,
  newGuestId: randomUUID(),
  profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' },
  startedAt: new Date('2026-11-25T08:00:00.123Z'),
  expiresAt: new Date('2026-11-26T08:00:00.000Z'),
  ...overrides,
});

describe('KnexSessionRepository (PostgreSQL)', () => {
  let database: Knex;
  let repository: KnexSessionRepository;

  before(() => {
    database = knex(serviceKnexConfig(testDatabaseUrl()));
    repository = new KnexSessionRepository(database);
  });
  after(async () => {
    await database.destroy();
  });

  it('creates the guest and the session for a new guest', async () => {
    const draft = aNewSession();
    const stored = await repository.saveGuestSession(draft);

    expect(stored).to.deep.equal({
      id: draft.id,
      userId: draft.newGuestId,
      userType: 'guest',
      profile: draft.profile,
      startedAt: draft.startedAt,
      expiresAt: draft.expiresAt,
    });
    const row = await database('sessions').where({ id: draft.id }).first<Record<string, unknown>>();
    expect(row).to.deep.include({ user_id: draft.newGuestId, name: 'Budi', city: 'Solo', country: 'Indonesia' });
    expect((row.started_at as Date).toISOString()).to.equal('2026-11-25T08:00:00.123Z');
    expect(await database('guests').where({ id: draft.newGuestId }).first()).to.not.equal(undefined);
  });

  it('reuses a claimed guest that exists, creating no new guest', async () => {
    const first = await repository.saveGuestSession(aNewSession());
    const second = aNewSession({ claimedGuestId: first.userId });
    const stored = await repository.saveGuestSession(second);
    expect(stored.userId).to.equal(first.userId);
    expect(await database('guests').where({ id: second.newGuestId }).first()).to.equal(undefined);
  });

  it('creates a new guest when the claimed one does not exist', async () => {
    const draft = aNewSession({ claimedGuestId: randomUUID() });
    const stored = await repository.saveGuestSession(draft);
    expect(stored.userId).to.equal(draft.newGuestId);
    expect(await database('guests').where({ id: draft.claimedGuestId! }).first()).to.equal(undefined);
  });

  it('writes neither row when the session insert fails, and its error (which is logged) names no listener detail', async () => {
    const existing = aNewSession();
    await repository.saveGuestSession(existing);
    // Both statements: a new guest, and a claimed guest that turns out to be unknown (so one is created).
    for (const claimedGuestId of [null, randomUUID()]) {
      const clash = aNewSession({
        id: existing.id,
        claimedGuestId,
        profile: { name: 'Rahasia Pendengar', city: 'Kotarahasia', country: 'Negerirahasia' },
      });
      let caught: unknown;
      try {
        await repository.saveGuestSession(clash);
      } catch (error) {
        caught = error;
      }
      const label = `claimed guest: ${String(claimedGuestId)}`;
      expect(caught, label).to.be.instanceOf(Error).and.not.be.instanceOf(StoreUnavailable);
      expect(await database('guests').where({ id: clash.newGuestId }).first(), `no orphan guest (${label})`).to.equal(undefined);
      const { message, stack } = caught as Error;
      expect(message, 'PostgreSQL says what failed').to.include('duplicate key');
      for (const detail of ['Rahasia Pendengar', 'Kotarahasia', 'Negerirahasia']) {
        expect(`${message}\n${stack ?? ''}`, label).to.not.include(detail);
      }
    }
  });

  it('turns an unreachable database into StoreUnavailable', async () => {
    const unreachable = knex({
      ...serviceKnexConfig('postgres://postgres@127.0.0.1:1/none'),
      log: { error: () => undefined, warn: () => undefined },
    });
    try {
      let caught: unknown;
      try {
        await new KnexSessionRepository(unreachable).saveGuestSession(aNewSession());
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(StoreUnavailable);
    } finally {
      await unreachable.destroy();
    }
  });
});
