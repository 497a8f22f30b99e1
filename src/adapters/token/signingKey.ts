import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

export const MIN_RSA_BITS = 2048;
const MIN_RSA_EXPONENT = 65_537n;

/** A new RSA private key as PKCS#8 PEM, for development keys and `livechat keys generate`. */
export const newRsaPrivateKeyPem = (bits: number): string =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface PublishedKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
}

const assertStrongRsa = (key: KeyObject, what: string): void => {
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${what} must be an RSA key, not ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new Error(`${what} has ${bits} bits; RS256 here needs at least ${MIN_RSA_BITS}`);
  // A small exponent (3) makes a signature forgeable against verifiers that check PKCS#1 padding loosely
  // (Bleichenbacher 2006); every key generator's default is 65537, NIST SP 800-56B's minimum.
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < MIN_RSA_EXPONENT) throw new Error(`${what} has public exponent ${exponent}; it must be at least ${MIN_RSA_EXPONENT}`);
};

/** RFC 7638 thumbprint: stable for a key, so verifiers can cache by kid across restarts and instances. */
const thumbprint = (publicKey: KeyObject): string => {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
};

/** Parses the PEM once, at start: signing with a KeyObject avoids re-parsing the key on every token. */
export const loadSigningKey = (privateKeyPem: string): SigningKey => {
  const privateKey = createPrivateKey(privateKeyPem);
  assertStrongRsa(privateKey, 'The JWT private key');
  const publicKey = createPublicKey(privateKey);
  return { kid: thumbprint(publicKey), privateKey, publicKey };
};

/** A public key published beside the signing one during a rotation: the next key, or the retired one. */
export const loadPublishedKey = (publicKeyPem: string): PublishedKey => {
  // createPublicKey would take a private key and publish its public half; a private key has no business in a
  // setting meant to hold a public one, where it would be handled and shared with less care.
  if (publicKeyPem.includes('PRIVATE KEY-----')) throw new Error('holds a private key: give its public key (jwt-public.pem)');
  const publicKey = createPublicKey(publicKeyPem);
  assertStrongRsa(publicKey, 'The JWT public key');
  return { kid: thumbprint(publicKey), publicKey };
};

export interface JsonWebKeySet {
  readonly keys: readonly (JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' })[];
}

export const jsonWebKeySet = (keys: readonly PublishedKey[]): JsonWebKeySet => ({
  keys: keys.map(({ kid, publicKey }) => {
    const { kty, n, e } = publicKey.export({ format: 'jwk' });
    return { kty, n, e, kid, alg: 'RS256', use: 'sig' };
  }),
});
