import { generateKeyPairSync } from 'node:crypto';

let cached: string | undefined;

/** One 2048-bit RSA key per test process: generating is slow, and tests need no more than one. */
export const testPrivateKeyPem = (): string =>
  (cached ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

export const TEST_COOKIE_SECRET = 'test-cookie-secret-that-is-long-enough-0123456789';
