import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadSigningKey, MIN_RSA_BITS, newRsaPrivateKeyPem, type PublishedKey, type SigningKey } from '../adapters/token/signingKey.js';
import { ConfigError, type Config } from './config.js';
import { folderInDataDir } from './dataDir.js';

export interface SigningKeys {
  readonly signingKey: SigningKey;
  /** The current key first, then (during a rotation) the next one and the previous one, each once. */
  readonly publishedKeys: readonly PublishedKey[];
}

export interface Secrets extends SigningKeys {
  readonly cookieSecrets: readonly string[];
}

/**
 * Reads a development secret from the data folder's `keys`, creating it once (owner-only) when it is missing. The
 * folder is made first, so that a DATA_DIR the service cannot use is said to be so, once, as a setting to mend.
 */
const developmentSecret = (config: Config, name: string, create: () => string, logger: Logger): string => {
  const file = path.join(folderInDataDir(config.dataDir, 'keys'), name);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another user's (a first start as root, say), or a folder: a setting to mend, as the folder's are.
    if (code !== 'ENOENT') throw new ConfigError([`DATA_DIR ${config.dataDir}: cannot read ${file} (${code ?? 'unknown error'})`]);
  }
  try {
    writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    logger.warn({ file }, 'generated a development secret; configure a real one in production');
  } catch (error) {
    // Another process created it first: use theirs, so every worker signs with the same key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8');
};

/**
 * The keys the service signs with. Production must configure them (the configuration refuses to load
 * otherwise, and this refuses again rather than generate one); elsewhere they are generated once and kept in
 * the data folder, which git ignores.
 */
export const resolveSigningKeys = (config: Config, logger: Logger): SigningKeys => {
  if (config.jwt.signingKey === undefined && config.environment === 'production') {
    throw new Error('JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE is required in production; no key is generated there');
  }
  const signingKey =
    config.jwt.signingKey ??
    loadSigningKey(developmentSecret(config, 'jwt-private.pem', () => newRsaPrivateKeyPem(MIN_RSA_BITS), logger));
  const publishedKeys: PublishedKey[] = [signingKey];
  for (const key of [config.jwt.nextPublicKey, config.jwt.previousPublicKey]) {
    // A next key left set after it was promoted is the current one: a key set lists each key once.
    if (key !== undefined && !publishedKeys.some((published) => published.kid === key.kid)) publishedKeys.push(key);
  }
  return { signingKey, publishedKeys };
};

/** Only the HTTP adapter signs cookies, so only it resolves these: the CLI never creates a cookie secret. */
export const resolveCookieSecrets = (config: Config, logger: Logger): readonly string[] => {
  if (config.cookies.secrets !== undefined) return config.cookies.secrets;
  if (config.environment === 'production') throw new Error('COOKIE_SECRET is required in production');
  return [developmentSecret(config, 'cookie-secret', () => randomBytes(32).toString('base64url'), logger).trim()];
};
