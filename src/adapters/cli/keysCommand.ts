import { createPublicKey } from 'node:crypto';
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { makeFolders } from '../files/makeFolders.js';
import { loadSigningKey, newRsaPrivateKeyPem } from '../token/signingKey.js';
import type { CliDependencies, CliIo } from './cliDependencies.js';
import { FilesNotWritten, isTaken, writeTogether } from './filesTogether.js';

export const KEY_SIZES = ['2048', '3072', '4096'] as const;
// RS256 signing is the service's most expensive step, and its cost grows about as the cube of the key size:
// 2048 bits meets the contract (and NIST's guidance through 2030); 3072 or 4096 trade throughput for margin.
const DEFAULT_KEY_SIZE = '2048';
export const PRIVATE_KEY_FILE = 'jwt-private.pem';
export const PUBLIC_KEY_FILE = 'jwt-public.pem';

/** `EACCES: permission denied` out of Node's `EACCES: permission denied, open '…'`, whose path the user never gave. */
const shortReason = (error: NodeJS.ErrnoException): string => {
  const reason = /^[A-Z0-9_]+: (.+?), [a-z_]+ '/.exec(error.message)?.[1];
  return reason === undefined ? String(error.code) : `${error.code}: ${reason}`;
};

/**
 * Says that the keys could not be written, naming the directory the user gave rather than the path Node names (a
 * temporary file, or a key's place under a regular file). Anything but a file system error is no such failure.
 */
const reportNotWritten = (io: CliIo, directory: string, error: unknown): number => {
  const cause = error instanceof FilesNotWritten ? error.cause : error;
  if (!(cause instanceof Error && typeof (cause as NodeJS.ErrnoException).code === 'string')) throw cause;
  io.stderr.write(`livechat keys generate: cannot write the keys into ${directory} (${shortReason(cause)})\n`);
  for (const file of error instanceof FilesNotWritten ? error.stillNew : []) {
    io.stderr.write(`livechat keys generate: ${file} holds the new key all the same (its old one could not be put back)\n`);
  }
  return 1;
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
  let existing;
  try {
    existing = [privateFile, publicFile].filter(isTaken);
  } catch (error) {
    return reportNotWritten(io, directory, error);
  }
  // --force replaces files, never a folder (which renaming onto fails as EPERM or EISDIR, naming neither).
  const folders = existing.filter((file) => lstatSync(file).isDirectory());
  if (folders.length > 0) {
    const [what, them] = folders.length === 1 ? ['is a folder, not a key file', 'it'] : ['are folders, not key files', 'them'];
    io.stderr.write(`livechat keys generate: ${folders.join(' and ')} ${what}; move ${them} away, or write the keys elsewhere with --out\n`);
    return 1;
  }
  if (existing.length > 0 && options.force !== true) {
    io.stderr.write(`livechat keys generate: ${existing.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; keep them, or add --force to replace them\n`);
    return 1;
  }

  const privateKeyPem = newRsaPrivateKeyPem(Number(options.bits));
  const { kid } = loadSigningKey(privateKeyPem);
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  try {
    makeFolders(directory, 0o700);
    writeTogether([
      { file: privateFile, content: privateKeyPem, mode: 0o600 },
      { file: publicFile, content: publicKeyPem, mode: 0o644 },
    ]);
  } catch (error) {
    return reportNotWritten(io, directory, error);
  }

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
