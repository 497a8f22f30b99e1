import type { CaptchaErrorCode } from '../../application/startSession.js';
import type { Locale } from './locale.js';

const MESSAGES: Record<Locale, Record<CaptchaErrorCode, string>> = {
  id: {
    required: 'Selesaikan captcha terlebih dahulu.',
    rejected: 'Captcha tidak valid atau sudah kedaluwarsa. Silakan ulangi.',
  },
  en: {
    required: 'Please complete the captcha.',
    rejected: 'The captcha was not accepted or has expired. Please try again.',
  },
};

export const captchaErrorMessage = (locale: Locale, code: CaptchaErrorCode): string => MESSAGES[locale][code];

export const captchaErrorMessages = (locale: Locale, codes: readonly CaptchaErrorCode[]): string[] =>
  codes.map((code) => captchaErrorMessage(locale, code));
