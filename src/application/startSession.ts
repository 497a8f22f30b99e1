import { isGuestId } from '../domain/guestId.js';
import { createListenerProfile, type ProfileErrors, type RawProfile } from '../domain/listenerProfile.js';
import { err, ok, type Result } from '../domain/result.js';
import { expiryOf, type Session } from '../domain/session.js';
import type { CaptchaVerifier } from './ports/captchaVerifier.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/idGenerator.js';
import type { SessionRepository } from './ports/sessionRepository.js';
import type { TokenIssuer } from './ports/tokenIssuer.js';

export interface StartSessionInput {
  readonly profile: RawProfile;
  /** The guest id a returning listener presents, already authenticated by the caller (for example, a signed cookie). */
  readonly returningGuestId?: string | null;
  /** The captcha response the client sent; looked at only when a captcha verifier is configured. */
  readonly captchaToken?: unknown;
  /** The client's address, passed on to the captcha verifier. */
  readonly clientAddress?: string;
}

export type CaptchaErrorCode = 'required' | 'rejected';

/** What a listener can fix: the profile fields, and the captcha when one is asked for. */
export type StartSessionErrors = ProfileErrors & { readonly captchaToken?: readonly CaptchaErrorCode[] };

export interface StartedSession {
  readonly session: Session;
  readonly token: string;
}

export interface StartSessionDependencies {
  readonly sessions: SessionRepository;
  readonly tokens: TokenIssuer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly sessionLifetimeSeconds: number;
  /** Absent: no captcha is asked for. */
  readonly captcha?: CaptchaVerifier;
}

/** A listener starts a chat session: their profile is validated, the session stored, then its token signed. */
export class StartSession {
  constructor(private readonly deps: StartSessionDependencies) {}

  async execute(input: StartSessionInput): Promise<Result<StartedSession, StartSessionErrors>> {
    const profile = createListenerProfile(input.profile);
    const { captcha } = this.deps;
    const captchaToken = typeof input.captchaToken === 'string' ? input.captchaToken.trim() : '';
    const captchaMissing = captcha !== undefined && captchaToken === '';
    if (!profile.ok || captchaMissing) {
      return err({ ...(profile.ok ? {} : profile.error), ...(captchaMissing ? { captchaToken: ['required'] as const } : {}) });
    }
    // Verified only once the profile is valid: a solved captcha is single-use, so it is not spent on a form
    // the listener still has to correct.
    if (captcha !== undefined && !(await captcha.verify(captchaToken, input.clientAddress ?? ''))) {
      return err({ captchaToken: ['rejected'] });
    }

    const { sessions, tokens, clock, ids, sessionLifetimeSeconds } = this.deps;
    const startedAt = clock.now();
    // The row is committed before the token exists, so no token ever names a session that is not stored.
    const session = await sessions.saveGuestSession({
      id: ids.next(),
      claimedGuestId: isGuestId(input.returningGuestId) ? input.returningGuestId : null,
      newGuestId: ids.next(),
      profile: profile.value,
      startedAt,
      expiresAt: expiryOf(startedAt, sessionLifetimeSeconds),
    });
    const token = await tokens.issue(session);
    return ok({ session, token });
  }
}
