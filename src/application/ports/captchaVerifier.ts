/** Tells whether a captcha the client solved is genuine (an anti-bot check before a session starts). */
export interface CaptchaVerifier {
  /**
   * Resolves true when the provider accepts the token, false when it rejects it. Rejects with
   * `CaptchaUnavailable` when the provider cannot be reached or does not answer in time: never a free pass.
   */
  verify(token: string, clientAddress: string): Promise<boolean>;
}
