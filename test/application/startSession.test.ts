import { expect } from 'chai';
import { StoreUnavailable } from '../../src/application/errors.js';
import { StartSession } from '../../src/application/startSession.js';
import { aProfile } from '../support/builders.js';
import { FixedClock, InMemorySessionRepository, RecordingTokenIssuer, SequentialIds } from '../support/fakes.js';

const DAY = 24 * 60 * 60;

describe('StartSession', () => {
  let sessions: InMemorySessionRepository;
  let tokens: RecordingTokenIssuer;
  let clock: FixedClock;
  let startSession: StartSession;

  beforeEach(() => {
    sessions = new InMemorySessionRepository();
    tokens = new RecordingTokenIssuer(sessions);
    clock = new FixedClock(new Date('2026-11-25T08:00:00.750Z'));
    startSession = new StartSession({ sessions, tokens, clock, ids: new SequentialIds(), sessionLifetimeSeconds: DAY });
  });

  it('stores a new guest session with the normalized profile, then signs its token', async () => {
    const outcome = await startSession.execute({ profile: aProfile().withName('  Budi   Santoso ').build() });

    expect(outcome.ok).to.equal(true);
    if (!outcome.ok) return;
    const { session, token } = outcome.value;
    expect(sessions.sessions).to.deep.equal([session]);
    expect(session.profile).to.deep.equal({ name: 'Budi Santoso', city: 'Solo', country: 'Indonesia' });
    expect(session.userType).to.equal('guest');
    expect(session.userId).to.not.equal(session.id);
    expect(token).to.equal(`token-for-${session.id}`);
    expect(tokens.storedAtSigning).to.deep.equal([1]);
  });

  it('expires the session exactly the lifetime after the second it started in', async () => {
    const outcome = await startSession.execute({ profile: aProfile().build() });
    if (!outcome.ok) throw new Error('expected a session');
    expect(outcome.value.session.startedAt.toISOString()).to.equal('2026-11-25T08:00:00.750Z');
    expect(outcome.value.session.expiresAt.toISOString()).to.equal('2026-11-26T08:00:00.000Z');
  });

  it('returns every field error and neither stores nor signs anything', async () => {
    const outcome = await startSession.execute({ profile: { name: '', city: 'S' } });

    expect(outcome).to.deep.equal({
      ok: false,
      error: { name: ['required'], city: ['too_short'], country: ['required'] },
    });
    expect(sessions.sessions).to.deep.equal([]);
    expect(tokens.issued).to.deep.equal([]);
  });

  it('keeps a returning guest who is known', async () => {
    const first = await startSession.execute({ profile: aProfile().build() });
    if (!first.ok) throw new Error('expected a session');
    const second = await startSession.execute({ profile: aProfile().build(), returningGuestId: first.value.session.userId });
    if (!second.ok) throw new Error('expected a session');
    expect(second.value.session.userId).to.equal(first.value.session.userId);
  });

  it('makes a new guest when the claimed one is unknown or not a guest id at all', async () => {
    for (const claimed of ['00000000-0000-4000-8000-999999999999', "' or 1=1 --", '', null]) {
      const outcome = await startSession.execute({ profile: aProfile().build(), returningGuestId: claimed });
      if (!outcome.ok) throw new Error('expected a session');
      expect(outcome.value.session.userId, String(claimed)).to.not.equal(claimed);
    }
    expect(sessions.guests.size).to.equal(4);
  });

  it('signs nothing when the store fails, and lets the failure through', async () => {
    sessions.failWith = new StoreUnavailable();
    let caught: unknown;
    try {
      await startSession.execute({ profile: aProfile().build() });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(StoreUnavailable);
    expect(tokens.issued).to.deep.equal([]);
  });
});
