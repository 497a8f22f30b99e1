import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import pino from 'pino';
import { loadPublishedKey } from '../../src/adapters/token/signingKey.js';
import { ConfigError, loadConfig } from '../../src/infrastructure/config.js';
import { resolveSigningKeys } from '../../src/infrastructure/secrets.js';
import { newPublicKeyPem, testPrivateKeyPem } from '../support/keys.js';
import { noFiles } from '../support/noFiles.js';

const silent = pino({ level: 'silent' });
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
const kidOf = (pem: string): string => loadPublishedKey(pem).kid;

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
    expect(problemsResolving({ JWT_PRIVATE_KEY: ec })[0]).to.match(/^JWT_PRIVATE_KEY \(or JWT_PRIVATE_KEY_FILE\): .*must be an RSA key/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(problemsResolving({ JWT_PRIVATE_KEY: weak })[0]).to.match(/^JWT_PRIVATE_KEY \(or JWT_PRIVATE_KEY_FILE\): .*1024 bits/);
  });

  it('refuses a private key where a public one belongs, naming the variable', () => {
    expect(problemsResolving({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: testPrivateKeyPem() })).to.deep.equal([
      'JWT_NEXT_PUBLIC_KEY (or JWT_NEXT_PUBLIC_KEY_FILE): holds a private key: give its public key (jwt-public.pem)',
    ]);
  });

  it('names the variable of a previous public key that cannot be read', () => {
    expect(problemsResolving({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_PREVIOUS_PUBLIC_KEY: 'garbage' })).to.deep.equal([
      'JWT_PREVIOUS_PUBLIC_KEY (or JWT_PREVIOUS_PUBLIC_KEY_FILE): cannot be read as an RSA public key in PEM',
    ]);
  });

  it('reports every unusable key together with the configuration\'s other problems, before anything starts', () => {
    expect(problemsResolving({ PORT: 'abc', JWT_PRIVATE_KEY: 'garbage', JWT_PREVIOUS_PUBLIC_KEY: 'garbage' })).to.deep.equal([
      'PORT must be a whole number from 0 to 65535, got "abc"',
      'JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE): cannot be read as an RSA private key in PEM',
      'JWT_PREVIOUS_PUBLIC_KEY (or JWT_PREVIOUS_PUBLIC_KEY_FILE): cannot be read as an RSA public key in PEM',
    ]);
  });

  it('publishes the current key, then the next and the previous one during a rotation', () => {
    const [next, previous] = [newPublicKeyPem(), newPublicKeyPem()];
    const env = { JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: next, JWT_PREVIOUS_PUBLIC_KEY: previous };
    const keys = resolveSigningKeys(loadConfig(env, noFiles), silent);
    expect(keys.publishedKeys.map((key) => key.kid)).to.deep.equal([keys.signingKey.kid, kidOf(next), kidOf(previous)]);
    expect(new Set(keys.publishedKeys.map((key) => key.kid)).size).to.equal(3);
  });

  it('publishes a next key left set after it was promoted only once', () => {
    const env = { JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: publicKeyPem(testPrivateKeyPem()) };
    const keys = resolveSigningKeys(loadConfig(env, noFiles), silent);
    expect(keys.publishedKeys.map((key) => key.kid)).to.deep.equal([keys.signingKey.kid]);
  });

  it('names the variable of a next public key that cannot be read', () => {
    expect(problemsResolving({ JWT_PRIVATE_KEY: testPrivateKeyPem(), JWT_NEXT_PUBLIC_KEY: 'garbage' })).to.deep.equal([
      'JWT_NEXT_PUBLIC_KEY (or JWT_NEXT_PUBLIC_KEY_FILE): cannot be read as an RSA public key in PEM',
    ]);
  });
});
