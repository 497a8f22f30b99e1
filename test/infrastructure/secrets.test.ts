import { expect } from 'chai';
import pino from 'pino';
import { loadPublishedKey } from '../../src/adapters/token/signingKey.js';
import { loadConfig } from '../../src/infrastructure/config.js';
import { resolveSigningKeys } from '../../src/infrastructure/secrets.js';
import { newPublicKeyPem, publicKeyPemOf, testPrivateKeyPem } from '../support/keys.js';
import { noFiles } from '../support/noFiles.js';

const silent = pino({ level: 'silent' });
const kidOf = (pem: string): string => loadPublishedKey(pem).kid;

describe('signing keys the service publishes', () => {
  it('publishes the current key, then the next and the previous one during a rotation', () => {
    const [next, previous] = [newPublicKeyPem(), newPublicKeyPem()];
    const env = { JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: next, JWT_PREVIOUS_PUBLIC_KEY: previous };
    const keys = resolveSigningKeys(loadConfig(env, noFiles), silent);
    expect(keys.publishedKeys.map((key) => key.kid)).to.deep.equal([keys.signingKey.kid, kidOf(next), kidOf(previous)]);
  });

  it('publishes a next key left set after it was promoted only once', () => {
    const env = { JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: publicKeyPemOf(testPrivateKeyPem()) };
    const keys = resolveSigningKeys(loadConfig(env, noFiles), silent);
    expect(keys.publishedKeys.map((key) => key.kid)).to.deep.equal([keys.signingKey.kid]);
  });

});
