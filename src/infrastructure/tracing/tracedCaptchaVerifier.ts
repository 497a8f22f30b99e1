import type { Tracer } from '@opentelemetry/api';
import type { CaptchaVerifier } from '../../application/ports/captchaVerifier.js';
import { inSpan } from './spans.js';

/** The captcha port in a span: a call to a third party that may take up to its timeout. */
export class TracedCaptchaVerifier implements CaptchaVerifier {
  constructor(
    private readonly inner: CaptchaVerifier,
    private readonly tracer: Tracer,
  ) {}

  verify(token: string, clientAddress: string): Promise<boolean> {
    return inSpan(this.tracer, 'CaptchaVerifier.verify', { 'captcha.provider': 'hcaptcha' }, () => this.inner.verify(token, clientAddress));
  }
}
