import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadPublishedKey, loadSigningKey, type PublishedKey, type SigningKey } from '../adapters/token/signingKey.js';
import type { Config } from './config.js';

export interface Secrets {
  readonly signingKey: SigningKey;
  /** The current key first, then the previous one during a rotation. */
  readonly publishedKeys: readonly PublishedKey[];
  readonly cookieSecrets: readonly string[];
}

/** Reads a development secret from the data folder, creating it once (owner-only) when it is missing. */
const developmentSecret = (file: string, create: () => string, logger: Logger): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    logger.warn({ file }, 'generated a development secret; configure a real one in production');
  } catch (error) {
    // Another process created it first: use theirs, so every worker signs with the same key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8');
};

const newPrivateKeyPem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * The keys the service signs with. Production must configure them (the configuration refuses to load
 * otherwise); elsewhere they are generated once and kept in the data folder, which git ignores.
 */
export const resolveSecrets = (config: Config, logger: Logger): Secrets => {
  const keysDir = path.join(config.dataDir, 'keys');
  const privateKeyPem =
    config.jwt.privateKeyPem ?? developmentSecret(path.join(keysDir, 'jwt-private.pem'), newPrivateKeyPem, logger);
  const signingKey = loadSigningKey(privateKeyPem);
  const previous = config.jwt.previousPublicKeyPem;
  const cookieSecrets =
    config.cookies.secrets ??
    [developmentSecret(path.join(keysDir, 'cookie-secret'), () => randomBytes(32).toString('base64url'), logger).trim()];
  return {
    signingKey,
    publishedKeys: previous === undefined ? [signingKey] : [signingKey, loadPublishedKey(previous)],
    cookieSecrets,
  };
};
