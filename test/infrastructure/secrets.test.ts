import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../src/infrastructure/config.js';
import { resolveSigningKeys } from '../../src/infrastructure/secrets.js';
import { testPrivateKeyPem } from '../support/keys.js';

const silent = pino({ level: 'silent' });
const noFiles = (file: string): string => {
  throw Object.assign(new Error(`no ${file}`), { code: 'ENOENT' });
};
const problemsResolving = (env: Record<string, string>): readonly string[] => {
  try {
    resolveSigningKeys(loadConfig(env, noFiles), silent);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};
const publicKeyPem = (privateKeyPem: string): string =>
  createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();

describe('signing keys from configuration', () => {
  it('names the variable of a key that is not a PEM RSA private key, instead of OpenSSL\'s decoder error', () => {
    for (const notAPrivateKey of ['garbage', publicKeyPem(testPrivateKeyPem())]) {
      expect(problemsResolving({ JWT_PRIVATE_KEY: notAPrivateKey })).to.deep.equal([
        'JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE): cannot be read as an RSA private key in PEM',
      ]);
    }
  });

  it('names the variable of a key that is weak or not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const [problem] = problemsResolving({ JWT_PRIVATE_KEY: ec });
    expect(problem).to.match(/^JWT_PRIVATE_KEY \(or JWT_PRIVATE_KEY_FILE\): .*must be an RSA key/);
  });

  it('names the variable of a previous public key that cannot be read', () => {
    expect(problemsResolving({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_PREVIOUS_PUBLIC_KEY: 'garbage' })).to.deep.equal([
      'JWT_PREVIOUS_PUBLIC_KEY (or JWT_PREVIOUS_PUBLIC_KEY_FILE): cannot be read as an RSA public key in PEM',
    ]);
  });

  it('publishes the current key, then the previous one', () => {
    const previous = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keys = resolveSigningKeys(loadConfig({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_PREVIOUS_PUBLIC_KEY: previous }, noFiles), silent);
    expect(keys.publishedKeys.map((key) => key.kid)).to.deep.equal([keys.signingKey.kid, keys.publishedKeys[1]?.kid]);
    expect(keys.publishedKeys[1]?.kid).to.not.equal(keys.signingKey.kid);
  });
});
