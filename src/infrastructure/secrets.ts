import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, writeFileSync, type Stats } from 'node:fs';
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

/** The user this process runs as; none where the system has no such ids (Windows), and then nothing is checked. */
const THIS_USER = process.getuid?.();
export const OTHERS_WRITE = 0o022;
export const OTHERS_ANY = 0o077;

/**
 * A development secret signs the guest cookies and the tokens the chat server trusts: whoever can write it, or the
 * folder it is in, can sign as the service (take any guest's userId, mint tokens the JWKS vouches for). So, as ssh
 * insists of a private key, the folder and the file must be this user's, the folder writable by no one else and the
 * file open to no one else.
 */
export const notPrivate = (
  what: string,
  stats: Pick<Stats, 'uid' | 'mode'>,
  othersMayNot: number,
  user: number | undefined = THIS_USER,
): string | undefined => {
  if (user === undefined) return undefined;
  if (stats.uid !== user) return `${what} belongs to another user (uid ${stats.uid}), who could replace the signing secret in it`;
  const mode = stats.mode & 0o777;
  if ((mode & othersMayNot) !== 0) return `${what} is open to other users (mode ${mode.toString(8)}): chmod ${othersMayNot === OTHERS_ANY ? 600 : 700} it`;
  return undefined;
};

/** The secret in `file`, or undefined when there is none; never through a symbolic link, nor from a file not private. */
const readPrivately = (config: Config, file: string): string | undefined => {
  const unusable = (problem: string): ConfigError => new ConfigError([`DATA_DIR ${config.dataDir}: ${problem}`]);
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Another user's (a first start as root, say), a folder, a link: a setting to mend, as the folder's are.
    throw unusable(`cannot read ${file} (${code === 'ELOOP' ? 'a symbolic link' : (code ?? 'unknown error')})`);
  }
  try {
    // Checked on what was opened, so that nothing can be swapped in between.
    const problem = notPrivate(file, fstatSync(descriptor), OTHERS_ANY);
    if (problem !== undefined) throw unusable(problem);
    return readFileSync(descriptor, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw unusable(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  } finally {
    closeSync(descriptor);
  }
};

/**
 * Reads a development secret from the data folder's `keys`, creating it once (owner-only) when it is missing. The
 * folder is made first, so that a DATA_DIR the service cannot use is said to be so, once, as a setting to mend.
 */
const developmentSecret = (config: Config, name: string, create: () => string, logger: Logger): string => {
  const folder = folderInDataDir(config.dataDir, 'keys');
  const folderProblem = notPrivate(folder, statSync(folder), OTHERS_WRITE);
  if (folderProblem !== undefined) throw new ConfigError([`DATA_DIR ${config.dataDir}: ${folderProblem}`]);
  const file = path.join(folder, name);
  const kept = readPrivately(config, file);
  if (kept !== undefined) return kept;
  try {
    writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
    logger.warn({ file }, 'generated a development secret; configure a real one in production');
  } catch (error) {
    // Another process created it first: use theirs, so every worker signs with the same key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readPrivately(config, file);
  if (created === undefined) throw new ConfigError([`DATA_DIR ${config.dataDir}: ${file} went away as it was created`]);
  return created;
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
