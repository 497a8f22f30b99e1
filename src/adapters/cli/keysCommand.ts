import { createPublicKey, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { loadSigningKey, newRsaPrivateKeyPem } from '../token/signingKey.js';
import type { CliDependencies } from './cliDependencies.js';

export const KEY_SIZES = ['2048', '3072', '4096'] as const;
// RS256 signing is the service's most expensive step, and its cost grows about as the cube of the key size:
// 2048 bits meets the contract (and NIST's guidance through 2030); 3072 or 4096 trade throughput for margin.
const DEFAULT_KEY_SIZE = '2048';
export const PRIVATE_KEY_FILE = 'jwt-private.pem';
export const PUBLIC_KEY_FILE = 'jwt-public.pem';

/** Whether anything is at `file`, a symbolic link included, even one to nowhere (which existsSync denies). */
const isTaken = (file: string): boolean => lstatSync(file, { throwIfNoEntry: false }) !== undefined;

/**
 * Writes a new file of its own (created with the mode, which the umask can only narrow), then renames it into
 * place. A rename replaces a symbolic link instead of writing where it points, and whoever had the old file open
 * (a key left readable by others) keeps reading the old file, never the new key.
 */
const writeInPlaceOf = (file: string, content: string, mode: number): void => {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, content, { mode, flag: 'wx' });
  try {
    // The public key is meant to be readable by all, whatever the umask took away.
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
};

interface GenerateOptions {
  readonly out: string;
  readonly bits: (typeof KEY_SIZES)[number];
  readonly force?: boolean;
}

const generateKeys = ({ io }: CliDependencies, options: GenerateOptions): number => {
  const directory = path.resolve(options.out);
  const privateFile = path.join(directory, PRIVATE_KEY_FILE);
  const publicFile = path.join(directory, PUBLIC_KEY_FILE);
  const existing = [privateFile, publicFile].filter(isTaken);
  if (existing.length > 0 && options.force !== true) {
    io.stderr.write(`livechat keys generate: ${existing.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; keep them, or add --force to replace them\n`);
    return 1;
  }

  const privateKeyPem = newRsaPrivateKeyPem(Number(options.bits));
  const { kid } = loadSigningKey(privateKeyPem);
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeInPlaceOf(privateFile, privateKeyPem, 0o600);
  writeInPlaceOf(publicFile, publicKeyPem, 0o644);

  io.stdout.write(
    `Wrote an RSA ${options.bits}-bit key pair (key id ${kid}):\n` +
      `  ${privateFile}  (private, owner-only: keep it secret, out of git)\n` +
      `  ${publicFile}  (public)\n\n` +
      'A first installation gives the private key to the service and to this CLI:\n' +
      `  export JWT_PRIVATE_KEY_FILE=${privateFile}\n\n` +
      'A rotation replaces a key in use in three deploys (README, "Rotating the signing key"), so that verifiers,\n' +
      'which cache the key set for 5 minutes, never meet a token whose key they lack:\n' +
      `  1. publish this key beside the current one:  export JWT_NEXT_PUBLIC_KEY_FILE=${publicFile}\n` +
      '  2. more than 5 minutes later, sign with it and still publish the old one (no next key any more):\n' +
      `     export JWT_PRIVATE_KEY_FILE=${privateFile} JWT_PREVIOUS_PUBLIC_KEY_FILE=<the old jwt-public.pem>\n` +
      '  3. once the old key\'s last token has expired (JWT_TTL_SECONDS, 24 h by default): unset JWT_PREVIOUS_PUBLIC_KEY_FILE\n',
  );
  return 0;
};

export const defineKeysCommand = (program: Command, deps: CliDependencies, exitWith: (code: number) => void): void => {
  const keys = program.command('keys').summary('manage the keys that sign session tokens');
  keys
    .command('generate')
    .description(
      `Generate an RSA key pair for signing session tokens (RS256): ${PRIVATE_KEY_FILE} written owner-only (0600) ` +
        `and ${PUBLIC_KEY_FILE}. Existing files are never replaced without --force. Needs no configuration.`,
    )
    .option('--out <dir>', 'directory to write the keys into (created owner-only when missing)', 'keys')
    .addOption(new Option('--bits <bits>', 'RSA modulus length').choices(KEY_SIZES).default(DEFAULT_KEY_SIZE))
    .option('--force', 'replace existing key files')
    .action((options: GenerateOptions) => exitWith(generateKeys(deps, options)));
};
