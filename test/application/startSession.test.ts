import { expect } from 'chai';
import { CaptchaUnavailable, StoreUnavailable } from '../../src/application/errors.js';
import { StartSession } from '../../src/application/startSession.js';
import { aProfile } from '../support/builders.js';
import {
  FixedClock,
  InMemorySessionRepository,
  RecordingTokenIssuer,
  SequentialIds,
  StubCaptchaVerifier,
} from '../support/fakes.js';

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

  it('asks for no captcha when no verifier is configured, and ignores a token that is sent', async () => {
    const outcome = await startSession.execute({ profile: aProfile().build(), captchaToken: 'anything' });
    expect(outcome.ok).to.equal(true);
  });

  describe('with a captcha verifier', () => {
    let captcha: StubCaptchaVerifier;

    beforeEach(() => {
      captcha = new StubCaptchaVerifier('solved');
      startSession = new StartSession({ sessions, tokens, clock, ids: new SequentialIds(), sessionLifetimeSeconds: DAY, captcha });
    });

    it('stores the session when the verifier accepts the token, asking it with the client address', async () => {
      const outcome = await startSession.execute({ profile: aProfile().build(), captchaToken: 'solved', clientAddress: '198.51.100.4' });
      expect(outcome.ok).to.equal(true);
      expect(captcha.asked).to.deep.equal([{ token: 'solved', clientAddress: '198.51.100.4' }]);
      expect(sessions.sessions).to.have.length(1);
    });

    it('a missing, empty or non-text token is "required", reported with the profile errors, without asking the verifier', async () => {
      for (const captchaToken of [undefined, null, '', '   ', 42, { token: 'solved' }]) {
        const outcome = await startSession.execute({ profile: { name: '', city: 'Solo', country: 'Indonesia' }, captchaToken });
        expect(outcome, JSON.stringify(captchaToken)).to.deep.equal({ ok: false, error: { name: ['required'], captchaToken: ['required'] } });
      }
      const alone = await startSession.execute({ profile: aProfile().build() });
      expect(alone).to.deep.equal({ ok: false, error: { captchaToken: ['required'] } });
      expect(captcha.asked).to.deep.equal([]);
      expect(sessions.sessions).to.deep.equal([]);
    });

    it('does not spend the captcha on an invalid profile', async () => {
      const outcome = await startSession.execute({ profile: aProfile().withCity('S').build(), captchaToken: 'solved' });
      expect(outcome).to.deep.equal({ ok: false, error: { city: ['too_short'] } });
      expect(captcha.asked).to.deep.equal([]);
    });

    it('a token the verifier rejects is "rejected": nothing stored, nothing signed', async () => {
      const outcome = await startSession.execute({ profile: aProfile().build(), captchaToken: 'forged' });
      expect(outcome).to.deep.equal({ ok: false, error: { captchaToken: ['rejected'] } });
      expect(sessions.sessions).to.deep.equal([]);
      expect(tokens.issued).to.deep.equal([]);
    });

    it('lets CaptchaUnavailable through (never a free pass) and stores nothing', async () => {
      captcha.failWith = new CaptchaUnavailable();
      let caught: unknown;
      try {
        await startSession.execute({ profile: aProfile().build(), captchaToken: 'solved' });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(CaptchaUnavailable);
      expect(sessions.sessions).to.deep.equal([]);
    });
  });
});
