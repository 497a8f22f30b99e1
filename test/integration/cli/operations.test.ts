import { createPublicKey } from 'node:crypto';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { runCli, runKnexCli, SERVER_MODULES_REFUSED } from '../support/cliProcess.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { testDatabaseUrl } from '../support/testServices.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

describe('livechat migrate, keys generate, --help (the CLI in a child process)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-cli-');

  it('has --help on every command', async () => {
    for (const command of [[], ['seed'], ['prune'], ['migrate'], ['keys'], ['keys', 'generate']]) {
      const result = await runCli([...command, '--help'], { env: {}, cwd: workDir() });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include(`Usage: livechat${command.length === 0 ? '' : ` ${command.join(' ')}`}`);
    }
  });

  it('answers --help, a usage error and keys generate without loading the server, which only the database commands need', async () => {
    const env = { NODE_OPTIONS: `--import=${pathToFileURL(SERVER_MODULES_REFUSED).href}` };
    const help = await runCli(['--help'], { env, cwd: workDir() });
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.include('Usage: livechat');
    const usage = await runCli(['seed', '--file', 'x.csv', '--concurrency', '0'], { env, cwd: workDir() });
    expect(usage.code).to.equal(1);
    expect(usage.stderr).to.include("option '--concurrency <n>' argument '0' is invalid");
    const keys = await runCli(['keys', 'generate', '--out', 'keys'], { env, cwd: workDir() });
    expect(keys.code, keys.stderr).to.equal(0);
    expect(readdirSync(path.join(workDir(), 'keys')).sort()).to.deep.equal(['jwt-private.pem', 'jwt-public.pem']);

    // The preload does refuse them: a command that needs the database cannot start under it.
    const migrate = await runCli(['migrate'], { env, cwd: workDir() });
    expect(migrate.code).to.equal(1);
    expect(migrate.stderr).to.include('refused by the test');
  });

  it('rejects a bad option value with a usage error, before touching anything', async () => {
    const result = await runCli(['seed', '--file', 'x.csv', '--concurrency', '0'], { env: {}, cwd: workDir() });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include("option '--concurrency <n>' argument '0' is invalid");
  });

  it('refuses the options of --file with a single listener, rather than ignore them', async () => {
    for (const option of [['--concurrency', '2'], ['--out', 'x.jsonl'], ['--format', 'csv']]) {
      const result = await runCli(['seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia', ...option], { env: {}, cwd: workDir() });
      expect(result.code, option[0]).to.equal(1);
      expect(result.stderr).to.include('error: --format, --out and --concurrency go with --file');
    }
  });

  it('bounds --concurrency by the configured database pool (DATABASE_POOL_MAX), in --help too', async () => {
    const small = await runCli(['seed', '--file', 'x.csv', '--concurrency', '5'], { env: { DATABASE_POOL_MAX: '4' }, cwd: workDir() });
    expect(small.code).to.equal(1);
    expect(small.stderr).to.include("argument '5' is invalid. a whole number from 1 to 4 (the size of the database pool, DATABASE_POOL_MAX)");
    expect((await runCli(['seed', '--help'], { env: { DATABASE_POOL_MAX: '4' }, cwd: workDir() })).stdout).to.match(/1–4 \(default:\s+4\)/);

    // Past the option check: the file is looked for, and missing.
    const large = await runCli(['seed', '--file', 'x.csv', '--concurrency', '20'], { env: { DATABASE_POOL_MAX: '20' }, cwd: workDir() });
    expect(large.stderr).to.include('cannot read x.csv').and.not.include('--concurrency');
    expect((await runCli(['seed', '--help'], { env: { DATABASE_POOL_MAX: '20' }, cwd: workDir() })).stdout).to.match(/1–20 \(default:\s+8\)/);
  });

  describe('migrate, on a PostgreSQL database of its own', () => {
    let scratch: ScratchDatabase;

    before(async () => {
      scratch = await createScratchDatabase('livechat_cli_migrate');
    });

    after(async () => {
      await scratch.drop();
    });

    it('applies the migrations and rolls them back; in production it needs neither a key nor a cookie secret', async () => {
      const env = { NODE_ENV: 'production', DATABASE_URL: scratch.url, DATA_DIR: path.join(workDir(), 'data') };

      const up = await runCli(['migrate'], { env, cwd: workDir() });
      expect(up.code, up.stderr).to.equal(0);
      expect(up.stdout).to.match(/^Applied batch 1: /);
      expect(await scratch.tables()).to.deep.equal(['guests', 'sessions']);

      const again = await runCli(['migrate'], { env, cwd: workDir() });
      expect(again.stdout).to.equal('Already up to date.\n');

      const down = await runCli(['migrate', '--rollback'], { env, cwd: workDir() });
      expect(down.code, down.stderr).to.equal(0);
      expect(down.stdout).to.match(/^Rolled back batch 1: /);
      expect(down.stderr).to.equal('livechat migrate: warning: dropped the tables guests, sessions, with all the data they held\n');
      expect(await scratch.tables()).to.deep.equal([]);

      const none = await runCli(['migrate', '--rollback'], { env, cwd: workDir() });
      expect(none.stdout).to.equal('Nothing to roll back.\n');
      expect(none.stderr, 'no warning when nothing was dropped').to.equal('');
      expect(existsSync(env.DATA_DIR), 'no key or secret was generated').to.equal(false);
    });

    it("knex's own CLI (knexfile.ts) migrates it too, and in production needs neither a key nor a cookie secret either", async () => {
      const env = { NODE_ENV: 'production', DATABASE_URL: scratch.url, DATA_DIR: path.join(workDir(), 'data') };

      const up = await runKnexCli(['migrate:latest'], env);
      expect(up.code, up.stderr).to.equal(0);
      expect(up.stdout).to.include('Batch 1 run: 2 migrations');
      expect(await scratch.tables()).to.deep.equal(['guests', 'sessions']);

      const down = await runKnexCli(['migrate:rollback'], env);
      expect(down.code, down.stderr).to.equal(0);
      expect(await scratch.tables()).to.deep.equal([]);
      expect(existsSync(env.DATA_DIR), 'no key or secret was generated').to.equal(false);
    });
  });

  it('in production, refuses to seed without a signing key (naming it, not the cookie secret) and generates none', async () => {
    const dataDir = path.join(workDir(), 'data');
    const result = await runCli(['seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia'], {
      env: { NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), DATA_DIR: dataDir },
      cwd: workDir(),
    });
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.include('JWT_PRIVATE_KEY').and.not.include('COOKIE_SECRET');
    expect(existsSync(dataDir)).to.equal(false);
  });

  it('keys generate writes an RSA pair (private 0600), refuses to overwrite without --force, and the key seeds verifiable tokens', async () => {
    const keysDir = path.join(workDir(), 'keys');
    const generated = await runCli(['keys', 'generate', '--out', keysDir], { env: {}, cwd: workDir() });

    expect(generated.code, generated.stderr).to.equal(0);
    const privateFile = path.join(keysDir, 'jwt-private.pem');
    const publicFile = path.join(keysDir, 'jwt-public.pem');
    expect(statSync(privateFile).mode & 0o777).to.equal(0o600);
    expect(statSync(publicFile).mode & 0o777).to.equal(0o644);
    expect(generated.stdout).to.include(`export JWT_PRIVATE_KEY_FILE=${privateFile}`);
    // A rotation publishes the new key first: the output says so before it says to sign with it.
    const publishNext = generated.stdout.indexOf(`export JWT_NEXT_PUBLIC_KEY_FILE=${publicFile}`);
    const signWithIt = generated.stdout.indexOf(`export JWT_PRIVATE_KEY_FILE=${privateFile} JWT_PREVIOUS_PUBLIC_KEY_FILE=`);
    expect(publishNext).to.be.greaterThan(-1);
    expect(signWithIt).to.be.greaterThan(publishNext);
    expect(generated.stdout).to.not.include('PRIVATE KEY-----');
    const publicKey = createPublicKey(readFileSync(publicFile, 'utf8'));
    expect(publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);

    const original = readFileSync(privateFile, 'utf8');
    const refused = await runCli(['keys', 'generate', '--out', keysDir], { env: {}, cwd: workDir() });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include('already exist');
    expect(readFileSync(privateFile, 'utf8')).to.equal(original);

    const seeded = await runCli(['seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia'], {
      env: { NODE_ENV: 'production', DATABASE_URL: testDatabaseUrl(), JWT_PRIVATE_KEY_FILE: privateFile, MIGRATE_ON_START: 'false' },
      cwd: workDir(),
    });
    expect(seeded.code, seeded.stderr).to.equal(0);
    const { sessionToken, sessionId } = JSON.parse(seeded.stdout) as { sessionToken: string; sessionId: string };
    expect(jwt.verify(sessionToken, publicKey, { algorithms: ['RS256'] })).to.include({ session_id: sessionId });

    writeFileSync(privateFile, 'stale', { mode: 0o644 });
    const replaced = await runCli(['keys', 'generate', '--out', keysDir, '--force', '--bits', '3072'], { env: {}, cwd: workDir() });
    expect(replaced.code, replaced.stderr).to.equal(0);
    expect(statSync(privateFile).mode & 0o777).to.equal(0o600);
    expect(createPublicKey(readFileSync(privateFile, 'utf8')).asymmetricKeyDetails?.modulusLength).to.equal(3072);
  });

  it('keys generate never writes a private key through a symbolic link, nor into a file someone may hold open', async () => {
    const keysDir = path.join(workDir(), 'keys');
    const elsewhere = path.join(workDir(), 'elsewhere.pem');
    mkdirSync(keysDir);
    // A link to a file that does not exist yet: the key would be written wherever it points.
    symlinkSync(elsewhere, path.join(keysDir, 'jwt-private.pem'));
    const refused = await runCli(['keys', 'generate', '--out', keysDir], { env: {}, cwd: workDir() });
    expect(refused.code, refused.stdout).to.equal(1);
    expect(refused.stderr).to.include('already exists');
    expect(existsSync(elsewhere), 'nothing written where the link points').to.equal(false);

    const forced = await runCli(['keys', 'generate', '--out', keysDir, '--force'], { env: {}, cwd: workDir() });
    expect(forced.code, forced.stderr).to.equal(0);
    const privateFile = path.join(keysDir, 'jwt-private.pem');
    expect(lstatSync(privateFile).isFile(), 'the link is replaced by a file of its own').to.equal(true);
    expect(existsSync(elsewhere)).to.equal(false);

    // An old key left readable by others: whoever opened it before the replacement must not read the new key.
    writeFileSync(privateFile, 'stale', { mode: 0o644 });
    const heldOpen = openSync(privateFile, 'r');
    try {
      expect((await runCli(['keys', 'generate', '--out', keysDir, '--force'], { env: {}, cwd: workDir() })).code).to.equal(0);
      const seen = Buffer.alloc(64);
      const length = readSync(heldOpen, seen, 0, seen.length, 0);
      expect(seen.subarray(0, length).toString('utf8')).to.equal('stale');
    } finally {
      closeSync(heldOpen);
    }
    expect(readFileSync(privateFile, 'utf8')).to.include('PRIVATE KEY');
    expect(statSync(privateFile).mode & 0o777).to.equal(0o600);
    expect(readdirSync(keysDir).sort(), 'no temporary file left behind').to.deep.equal(['jwt-private.pem', 'jwt-public.pem']);
  });
});
