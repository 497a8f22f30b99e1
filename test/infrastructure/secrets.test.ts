import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { loadPublishedKey } from '../../src/adapters/token/signingKey.js';
import { loadConfig } from '../../src/infrastructure/config.js';
import { notPrivate, OTHERS_ANY, OTHERS_WRITE, resolveCookieSecrets, resolveSigningKeys } from '../../src/infrastructure/secrets.js';
import { newPublicKeyPem, publicKeyPemOf, testPrivateKeyPem } from '../support/keys.js';
import { noFiles } from '../support/noFiles.js';
import { directoryPerTest } from '../support/tempDirectory.js';

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

describe('development secrets kept in DATA_DIR/keys', () => {
  const dataDir = directoryPerTest('livechat-secrets-');
  const keysDir = (): string => path.join(dataDir(), 'keys');
  const problemOf = (resolve: () => unknown): string => {
    try {
      resolve();
    } catch (error) {
      return (error as Error).message;
    }
    return 'none';
  };
  const cookieSecretProblem = (): string => problemOf(() => resolveCookieSecrets(loadConfig({ DATA_DIR: dataDir() }, noFiles), silent));
  const signingKeyProblem = (): string => problemOf(() => resolveSigningKeys(loadConfig({ DATA_DIR: dataDir() }, noFiles), silent));

  it('are used when the folder and the files are private to this user', () => {
    mkdirSync(keysDir(), { mode: 0o700 });
    writeFileSync(path.join(keysDir(), 'cookie-secret'), 'a-secret-of-this-user-and-no-other-one', { mode: 0o600 });
    expect(resolveCookieSecrets(loadConfig({ DATA_DIR: dataDir() }, noFiles), silent)).to.deep.equal(['a-secret-of-this-user-and-no-other-one']);
  });

  it('are refused from a folder others may write in: anyone could have planted one, and sign as the service', () => {
    mkdirSync(keysDir());
    chmodSync(keysDir(), 0o777);
    const expected = `Invalid configuration:\n  - DATA_DIR ${dataDir()}: ${keysDir()} is open to other users (mode 777): chmod 700 it`;
    expect(cookieSecretProblem()).to.equal(expected);
    expect(signingKeyProblem()).to.equal(expected);
  });

  it('are refused from a file others may read or write, and never read through a symbolic link', () => {
    mkdirSync(keysDir(), { mode: 0o700 });
    const secret = path.join(keysDir(), 'cookie-secret');
    writeFileSync(secret, 'a-secret-anyone-on-the-machine-may-read', { mode: 0o644 });
    chmodSync(secret, 0o644);
    expect(cookieSecretProblem()).to.equal(`Invalid configuration:\n  - DATA_DIR ${dataDir()}: ${secret} is open to other users (mode 644): chmod 600 it`);
    const planted = path.join(dataDir(), 'planted.pem');
    writeFileSync(planted, testPrivateKeyPem(), { mode: 0o600 });
    symlinkSync(planted, path.join(keysDir(), 'jwt-private.pem'));
    expect(signingKeyProblem()).to.equal(
      `Invalid configuration:\n  - DATA_DIR ${dataDir()}: cannot read ${path.join(keysDir(), 'jwt-private.pem')} (a symbolic link)`,
    );
  });

  it("are refused from another user's folder or file, who could replace them", () => {
    const user = 1000;
    expect(notPrivate('/data/keys', { uid: 0, mode: 0o40700 }, OTHERS_WRITE, user)).to.equal(
      '/data/keys belongs to another user (uid 0), who could replace the signing secret in it',
    );
    expect(notPrivate('/data/keys/cookie-secret', { uid: 0, mode: 0o100600 }, OTHERS_ANY, user)).to.equal(
      '/data/keys/cookie-secret belongs to another user (uid 0), who could replace the signing secret in it',
    );
    expect(notPrivate('/data/keys', { uid: user, mode: 0o40755 }, OTHERS_WRITE, user), 'readable, not writable by others').to.equal(undefined);
  });
});
