import { CaptchaUnavailable } from '../../application/errors.js';
import type { CaptchaVerifier } from '../../application/ports/captchaVerifier.js';

export const HCAPTCHA_VERIFY_URL = 'https://api.hcaptcha.com/siteverify';
/** Whole round trip to siteverify, body included; past it the listener gets a 503, not a hang. */
export const HCAPTCHA_TIMEOUT_MS = 3_000;

export interface HCaptchaSettings {
  readonly secret: string;
  readonly sitekey: string;
  readonly verifyUrl: string;
  readonly timeoutMs?: number;
}

interface SiteverifyAnswer {
  readonly success?: unknown;
  readonly 'error-codes'?: unknown;
}

// These say that our side is misconfigured, not that the listener failed: rejecting every listener as a bot
// would hide the fault, so they surface as "unavailable" (503, logged) instead.
const CONFIGURATION_ERRORS = new Set(['missing-input-secret', 'invalid-input-secret', 'sitekey-secret-mismatch']);

/** Asks hCaptcha's siteverify API whether a solved captcha is genuine. */
export class HCaptchaVerifier implements CaptchaVerifier {
  constructor(private readonly settings: HCaptchaSettings) {}

  async verify(token: string, clientAddress: string): Promise<boolean> {
    const { secret, sitekey, verifyUrl, timeoutMs = HCAPTCHA_TIMEOUT_MS } = this.settings;
    const form = new URLSearchParams({ secret, response: token, sitekey });
    if (clientAddress !== '') form.set('remoteip', clientAddress);

    let answer: SiteverifyAnswer;
    try {
      const response = await fetch(verifyUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`siteverify answered HTTP ${response.status}`);
      answer = (await response.json()) as SiteverifyAnswer;
    } catch (error) {
      throw new CaptchaUnavailable({ cause: error });
    }
    if (typeof answer !== 'object' || answer === null || typeof answer.success !== 'boolean') {
      throw new CaptchaUnavailable({ cause: new Error('siteverify answered without a boolean "success"') });
    }
    const codes = Array.isArray(answer['error-codes']) ? (answer['error-codes'] as unknown[]) : [];
    const misconfigured = codes.filter((code): code is string => typeof code === 'string' && CONFIGURATION_ERRORS.has(code));
    if (misconfigured.length > 0) {
      throw new CaptchaUnavailable({ cause: new Error(`siteverify reports a configuration error: ${misconfigured.join(', ')}`) });
    }
    return answer.success;
  }
}
