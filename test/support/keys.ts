import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { MIN_RSA_BITS, newRsaPrivateKeyPem } from '../../src/adapters/token/signingKey.js';

let cached: string | undefined;

/** One 2048-bit RSA key per test process: generating is slow, and tests need no more than one. */
export const testPrivateKeyPem = (): string =>
  (cached ??= newRsaPrivateKeyPem(MIN_RSA_BITS));

/** The public key of a new 2048-bit pair, for a key set's next or previous key. */
export const newPublicKeyPem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** The public half of a private key, as a public-key setting holds it. */
export const publicKeyPemOf = (privateKeyPem: string): string =>
  createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();

export const TEST_COOKIE_SECRET = 'test-cookie-secret-that-is-long-enough-0123456789';
