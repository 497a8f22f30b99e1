import { execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  chownSync,
  closeSync,
  constants,
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { text } from 'node:stream/consumers';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import knex, { type Knex } from 'knex';
import { CLI_BIN, CLOSE_FAILS_AFTER_WRITE, cliTestEnv, runCli, spawnCli, type CliResult } from '../support/cliProcess.js';
import { childEnv, watchProcess } from '../support/nodeProcess.js';
import { insertWaitsForLock, lockSessions } from '../support/sessionLock.js';
import { jwksVerifier } from '../support/jwks.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testDatabaseUrl } from '../support/testServices.js';
import { freePort } from '../../support/freePort.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

interface PrintedSession {
  line?: number;
  sessionToken: string;
  sessionId: string;
  userId: string;
  expiresAt: string;
}

/** Letters only, so it passes as a city: it marks the rows one test wrote. */
const aTag = (): string =>
  `Kota ${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;

/** A CSV of `rows` valid listeners of `city`, named `Pendengar 0`, `Pendengar 1`, … (row r on line r + 2). */
const listenersCsv = (city: string, rows: number): string =>
  `name,city,country\n${Array.from({ length: rows }, (_, row) => `Pendengar ${row},${city},Indonesia\n`).join('')}`;

const lineReport = (stderr: string, line: number): unknown => {
  const found = stderr.split('\n').find((text) => text.startsWith(`line ${line}: `));
  return found === undefined ? undefined : JSON.parse(found.slice(`line ${line}: `.length));
};

const reportedLines = (stderr: string): number[] =>
  stderr
    .split('\n')
    .flatMap((text) => /^line (\d+): \{/.exec(text)?.[1] ?? [])
    .map(Number)
    .sort((a, b) => a - b);

/** Should nobody have written into the pipe, ends the reader waiting at its other end (ENXIO: nobody reads it now). */
const endReaderOf = (pipe: string): void => {
  try {
    closeSync(openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
  }
};

describe('livechat seed (the CLI in a child process, against PostgreSQL)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let database: Knex;
  // A directory outside the project: the bin must work from wherever an operator stands.
  const workDir = directoryPerTest('livechat-cli-');
  let verify: (token: string) => jwt.JwtPayload;
  let env: Record<string, string>;

  before(async () => {
    // The server, with the same key, only to fetch the JWKS that verifiers use.
    app = await startTestApp();
    verify = await jwksVerifier(app);
    database = knex({ client: 'pg', connection: testDatabaseUrl() });
  });

  after(async () => {
    await app.stop();
    await database.destroy();
  });

  beforeEach(() => {
    env = { ...cliTestEnv(path.join(workDir(), 'data')), LOG_LEVEL: 'info' };
  });

  const sessionsOf = (city: string) =>
    database('sessions')
      .leftJoin('guests', 'guests.id', 'sessions.user_id')
      .where('sessions.city', city)
      .select<{ id: string; user_id: string; guest_id: string | null; name: string }[]>(
        'sessions.id',
        'sessions.user_id',
        'guests.id as guest_id',
        'sessions.name',
      );

  const parseLines = (stdout: string): PrintedSession[] =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as PrintedSession);

  it('seeds one session and prints it as JSON; the token verifies with the published key; the row is stored', async () => {
    const city = aTag();
    const result = await runCli(['seed', '--name', 'Budi', '--city', city, '--country', 'Indonesia'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(0);
    const printed = JSON.parse(result.stdout) as PrintedSession;
    expect(Object.keys(printed).sort()).to.deep.equal(['expiresAt', 'sessionId', 'sessionToken', 'userId']);
    expect(verify(printed.sessionToken)).to.include({ session_id: printed.sessionId, user_id: printed.userId, user_type: 'guest' });
    const rows = await sessionsOf(city);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ id: printed.sessionId, user_id: printed.userId, guest_id: printed.userId, name: 'Budi' });
    // It signs cookies nowhere, so it makes no cookie secret; the key was given, so none is generated.
    expect(existsSync(path.join(env.DATA_DIR!, 'keys'))).to.equal(false);
    expect(result.stderr).to.not.include('Budi');
  });

  it('seeds where the server asks listeners for a captcha: the operator is not asked for one', async () => {
    const captchaEnv = { ...env, HCAPTCHA_SECRET: '0x0000000000000000000000000000000000000000', HCAPTCHA_SITEKEY: '10000000-ffff-ffff-ffff-000000000001' };
    const city = aTag();
    const result = await runCli(['seed', '--name', 'Budi', '--city', city, '--country', 'Indonesia'], { env: captchaEnv, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(0);
    expect(verify((JSON.parse(result.stdout) as PrintedSession).sessionToken)).to.include({ user_type: 'guest' });
    expect(await sessionsOf(city)).to.have.length(1);
  });

  it('outside production without a key, uses the development key in DATA_DIR, logs on stderr only, and makes no cookie secret', async () => {
    const { JWT_PRIVATE_KEY: _given, ...withoutKey } = env;
    const result = await runCli(['seed', '--name', 'Budi', '--city', aTag(), '--country', 'Indonesia'], { env: withoutKey, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(0);
    expect(Object.keys(JSON.parse(result.stdout) as object)).to.have.length(4);
    expect(result.stderr).to.include('generated a development secret');
    expect(statSync(path.join(env.DATA_DIR!, 'keys', 'jwt-private.pem')).mode & 0o777).to.equal(0o600);
    expect(existsSync(path.join(env.DATA_DIR!, 'keys', 'cookie-secret'))).to.equal(false);
  });

  it('refuses an invalid listener with the API messages on stderr (Indonesian, or English with --lang en), storing nothing', async () => {
    const city = aTag();
    const indonesian = await runCli(['seed', '--name', '', '--city', city, '--country', '<script>'], { env, cwd: workDir() });
    expect(indonesian.code).to.equal(1);
    expect(indonesian.stdout).to.equal('');
    expect(JSON.parse(indonesian.stderr)).to.deep.equal({
      errors: {
        name: ['Nama wajib diisi.'],
        country: ["Negara hanya boleh berisi huruf, spasi, titik (.), apostrof ('), tanda hubung (-), dan tanda kurung ( )."],
      },
    });

    const english = await runCli(['seed', '--name', 'Budi', '--city', 'S', '--lang', 'en'], { env, cwd: workDir() });
    expect(english.code).to.equal(1);
    expect(english.stdout).to.equal('');
    expect(JSON.parse(english.stderr)).to.deep.equal({
      errors: { city: ['City must be at least 2 characters.'], country: ['Country is required.'] },
    });
    expect(await sessionsOf(city)).to.have.length(0);
  });

  it('seeds a CSV of 2,000 rows with 3 invalid: 1,997 stored sessions with verifiable tokens, the 3 rows reported by line', async () => {
    const city = aTag();
    const invalid = new Map<number, string>([
      [12, `,${city},Indonesia`],
      [1_000, `Sari,S,Indonesia`],
      [2_001, `Joko,${city},<b>`],
    ]);
    const lines = ['name,city,country'];
    for (let line = 2; line <= 2_001; line += 1) lines.push(invalid.get(line) ?? `Pendengar ${line},${city},Indonesia`);
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const result = await runCli(['seed', '--file', file], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(reportedLines(result.stderr)).to.deep.equal([12, 1_000, 2_001]);
    expect(lineReport(result.stderr, 12)).to.deep.equal({ errors: { name: ['Nama wajib diisi.'] } });
    expect(lineReport(result.stderr, 1_000)).to.deep.equal({ errors: { city: ['Kota minimal 2 karakter.'] } });
    expect(lineReport(result.stderr, 2_001)).to.deep.equal({
      errors: { country: ["Negara hanya boleh berisi huruf, spasi, titik (.), apostrof ('), tanda hubung (-), dan tanda kurung ( )."] },
    });
    expect(result.stderr).to.include('1997 created, 3 failed');

    const printed = parseLines(result.stdout);
    expect(printed).to.have.length(1_997);
    for (const session of printed) {
      expect(verify(session.sessionToken)).to.include({ session_id: session.sessionId, user_id: session.userId });
    }
    expect(new Set(printed.map((session) => session.line)).size).to.equal(1_997);
    const stored = await sessionsOf(city);
    expect(stored).to.have.length(1_997);
    expect(new Set(stored.map((row) => row.id))).to.deep.equal(new Set(printed.map((session) => session.sessionId)));
    expect(stored.every((row) => row.guest_id === row.user_id), 'every session has its guest').to.equal(true);
    // Seeding creates new guests: no row reuses another's guest.
    expect(new Set(stored.map((row) => row.user_id)).size).to.equal(1_997);
    const byLine = new Map(printed.map((session) => [session.line, session.sessionId]));
    const row42 = stored.find((row) => row.id === byLine.get(42));
    expect(row42?.name).to.equal('Pendengar 42');
  });

  it('never writes --out through a symbolic link to a file, nor into a file another user owns: those are left as they were', async () => {
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, listenersCsv(aTag(), 2));
    const victim = path.join(workDir(), 'victim.conf');
    writeFileSync(victim, 'IMPORTANT CONFIG\n', { mode: 0o644 });
    const planted = path.join(workDir(), 'sessions.jsonl');
    symlinkSync(victim, planted);

    const linked = await runCli(['seed', '--file', file, '--out', planted], { env, cwd: workDir() });
    expect(linked.code, linked.stderr).to.equal(1);
    expect(linked.stderr).to.equal(`livechat seed: --out ${planted} is a symbolic link to a file; name the file itself (ELOOP)\n`);
    expect([readFileSync(victim, 'utf8'), statSync(victim).mode & 0o777]).to.deep.equal(['IMPORTANT CONFIG\n', 0o644]);

    // A link to what is not a file (`--out /dev/stdout`, a pipe) is written through: nothing is emptied or re-moded.
    const toNull = path.join(workDir(), 'to-null');
    symlinkSync('/dev/null', toNull);
    const discarded = await runCli(['seed', '--file', file, '--out', toNull], { env, cwd: workDir() });
    expect(discarded.code, discarded.stderr).to.equal(0);

    // Only root can give a file away, so only as root is there another user's file to refuse here.
    if (process.getuid?.() === 0) {
      const theirs = path.join(workDir(), 'theirs.jsonl');
      writeFileSync(theirs, 'their own\n', { mode: 0o666 });
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
      chownSync(theirs, nobody, nobody);
      const given = await runCli(['seed', '--file', file, '--out', theirs], { env, cwd: workDir() });
      expect(given.code, given.stderr).to.equal(1);
      expect(given.stderr).to.equal(`livechat seed: --out ${theirs} belongs to another user (uid ${nobody}), who could read the tokens\n`);
      expect(readFileSync(theirs, 'utf8')).to.equal('their own\n');
    }
  });

  it('seeds a JSON Lines file into an earlier --out, made owner-only and emptied first, reporting bad JSON, non-objects and invalid fields by line', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ name: 'José', city, country: 'Indonesia' }),
        JSON.stringify({ name: 'Nguyễn Văn An', city, country: 'Vietnam', extra: 'ignored' }),
        '{"name": "Budi", "city": ',
        '',
        '["Budi", "Solo", "Indonesia"]',
        JSON.stringify({ name: null, city, country: 'Indonesia' }),
        JSON.stringify({ name: "O'Brien", city, country: 'Ireland' }),
      ].join('\n'),
    );
    const out = path.join(workDir(), 'sessions.jsonl');
    writeFileSync(out, `${'{"line":2,"sessionToken":"earlier run"}\n'.repeat(1_000)}`, { mode: 0o644 });

    const result = await runCli(['seed', '--file', file, '--out', out, '--lang', 'en', '--concurrency', '2'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    expect(reportedLines(result.stderr)).to.deep.equal([3, 5, 6]);
    expect(lineReport(result.stderr, 3)).to.deep.equal({ errors: { row: ['This line is not valid JSON.'] } });
    expect(lineReport(result.stderr, 5)).to.deep.equal({ errors: { row: ['This line must be a JSON object.'] } });
    expect(lineReport(result.stderr, 6)).to.deep.equal({ errors: { name: ['Name is required.'] } });
    expect(result.stderr).to.include('3 created, 3 failed');

    const printed = parseLines(readFileSync(out, 'utf8'));
    expect(printed.map((session) => session.line).sort()).to.deep.equal([1, 2, 7]);
    const stored = await sessionsOf(city);
    expect(stored.map((row) => row.name).sort()).to.deep.equal(['José', 'Nguyễn Văn An', "O'Brien"]);
  });

  it('reports a JSON line over 64 KiB by its line number and seeds the lines after it', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ name: 'Budi', city, country: 'Indonesia' }),
        JSON.stringify({ name: 'x'.repeat(200_000), city, country: 'Indonesia' }),
        JSON.stringify({ name: 'Ani', city, country: 'Indonesia' }),
      ].join('\n'),
    );

    const result = await runCli(['seed', '--file', file, '--lang', 'en'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(reportedLines(result.stderr)).to.deep.equal([2]);
    expect(lineReport(result.stderr, 2)).to.deep.equal({ errors: { row: ['This line is too long.'] } });
    expect(result.stderr).to.include('2 created, 1 failed');
    expect(parseLines(result.stdout).map((session) => session.line).sort()).to.deep.equal([1, 3]);
    expect((await sessionsOf(city)).map((row) => row.name).sort()).to.deep.equal(['Ani', 'Budi']);
  });

  for (const [migrateOnStart, step] of [['true', 'migrate'], ['false', 'reach']]) {
    it(`leaves an earlier --out file as it was when the run cannot start (the database is down, MIGRATE_ON_START=${migrateOnStart})`, async () => {
      const file = path.join(workDir(), 'listeners.csv');
      writeFileSync(file, `name,city,country\nBudi,${aTag()},Indonesia\n`);
      const out = path.join(workDir(), 'sessions.jsonl');
      writeFileSync(out, '{"line":2,"sessionToken":"earlier run"}\n');
      const downUrl = `postgres://postgres:not-to-be-printed@127.0.0.1:${await freePort()}/test`;
      const downEnv = { ...env, DATABASE_URL: downUrl, MIGRATE_ON_START: migrateOnStart! };

      const result = await runCli(['seed', '--file', file, '--out', out], { env: downEnv, cwd: workDir() });

      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(`cannot ${step} DATABASE_URL ${downUrl.replace('not-to-be-printed', '***')}: connect ECONNREFUSED`);
      expect(result.stderr, 'no stack in the knex warning either').to.not.match(/\n\s+at /);
      expect(result.stderr).to.not.include('not-to-be-printed');
      expect(readFileSync(out, 'utf8')).to.equal('{"line":2,"sessionToken":"earlier run"}\n');
    });
  }

  it('refuses an --out that is the input file, by its own name or another link to it, storing nothing and keeping the file', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.jsonl');
    const listeners = `{"name":"Budi","city":"${city}","country":"Indonesia"}\n{"name":"Ani","city":"${city}","country":"Indonesia"}\n`;
    writeFileSync(file, listeners);
    const otherName = path.join(workDir(), 'sessions.jsonl');
    linkSync(file, otherName);

    for (const out of [file, otherName]) {
      const result = await runCli(['seed', '--file', file, '--out', out], { env, cwd: workDir() });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(`--out ${out} is the input file`);
    }
    expect(readFileSync(file, 'utf8')).to.equal(listeners);
    expect(await sessionsOf(city)).to.have.length(0);
  });

  it('says which --out it cannot write (no such directory, a directory, under /proc), and stores nothing', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, `name,city,country\nBudi,${city},Indonesia\n`);
    const targets = [
      [path.join(workDir(), 'no-such-directory', 'sessions.jsonl'), 'ENOENT'],
      [workDir(), 'EISDIR'],
      ['/proc/x', 'ENOENT'],
    ] as const;

    for (const [out, reason] of targets) {
      const result = await runCli(['seed', '--file', file, '--out', out], { env, cwd: workDir() });
      expect(result.code, out).to.equal(1);
      expect(result.stderr).to.include(`livechat seed: cannot write --out ${out} (${reason})`);
    }
    expect(await sessionsOf(city)).to.have.length(0);
  });

  it('says so of an --out it cannot make owner-only, and stores nothing', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, `name,city,country\nBudi,${city},Indonesia\n`);
    // The CLI's own name in /proc: its owner may write it, nobody may change its mode.
    const out = '/proc/self/comm';

    const result = await runCli(['seed', '--file', file, '--out', out], { env, cwd: workDir() });

    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`livechat seed: cannot make --out ${out} owner-only (EPERM)`);
    expect(await sessionsOf(city)).to.have.length(0);
  });

  it('writes the sessions into an --out that is not a file (a named pipe, like /dev/null or a terminal) without changing its mode', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, `name,city,country\nBudi,${city},Indonesia\nAni,${city},Indonesia\n`);
    const pipe = path.join(workDir(), 'sessions.pipe');
    execFileSync('mkfifo', ['-m', '644', pipe]);
    // Opening a pipe waits for the other end: this reader lets the CLI open it for writing.
    const received = text(createReadStream(pipe));

    let result;
    try {
      result = await runCli(['seed', '--file', file, '--out', pipe], { env, cwd: workDir() });
    } finally {
      endReaderOf(pipe);
    }

    expect(result.code, result.stderr).to.equal(0);
    expect(parseLines(await received).map((session) => session.line).sort()).to.deep.equal([2, 3]);
    expect(statSync(pipe).mode & 0o777).to.equal(0o644);
  });

  it('when --out cannot be written (a full disk), stops, exits 1 and names by id, never by token, the stored sessions whose lines were not written', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, listenersCsv(city, 200));

    // Every write to /dev/full fails with ENOSPC, as on a disk that is full.
    const result = await runCli(['seed', '--file', file, '--out', '/dev/full', '--concurrency', '4'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).to.include('livechat seed: stopped early: cannot write --out /dev/full (ENOSPC)');
    const named = [...result.stderr.matchAll(/^livechat seed: line (\d+): session (\S+) stored, but its token was not written$/gm)].map(
      ([, line, sessionId]) => ({ line: Number(line), sessionId: sessionId! }),
    );
    const stored = await sessionsOf(city);
    expect(stored.length, 'the run stops starting sessions: no more than were in flight or being written').to.be.within(1, 2 * 4);
    expect(named.map((session) => session.sessionId).sort(), 'exactly the stored sessions are named').to.deep.equal(
      stored.map((row) => row.id).sort(),
    );
    const nameOf = new Map(stored.map((row) => [row.id, row.name]));
    expect(named.every(({ line, sessionId }) => nameOf.get(sessionId) === `Pendengar ${line - 2}`), 'each by its own line').to.equal(true);
    expect(result.stderr).to.include(`seeded ${file}: 0 created, ${stored.length} stored but not written, 0 failed`);
    expect(result.stderr, 'tokens are credentials').to.not.match(/eyJ|sessionToken/);
  });

  it('when --out fails only as it is closed (a network file system), exits 1 and says its lines may not all be kept, without a stack trace', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, listenersCsv(city, 20));
    const out = path.join(workDir(), 'sessions.jsonl');

    const result = await runCli(['seed', '--file', file, '--out', out], {
      env: { ...env, NODE_OPTIONS: `--import=${pathToFileURL(CLOSE_FAILS_AFTER_WRITE).href}` },
      cwd: workDir(),
    });

    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).to.include(`livechat seed: cannot write --out ${out} (EIO): its lines may not all be kept`);
    expect(result.stderr, 'no stack trace').to.not.match(/^\s+at /m);
    expect(await sessionsOf(city), 'every session was stored').to.have.length(20);
    expect(readFileSync(out, 'utf8').trim().split('\n'), 'and written, as far as the CLI could tell').to.have.length(20);
  });

  /** The CLI with its stdout on /dev/full, where every write fails with ENOSPC, as on a disk that is full. */
  const runCliIntoFullDisk = async (args: readonly string[]): Promise<CliResult> => {
    const cli = watchProcess(
      spawn('sh', ['-c', 'exec "$0" "$@" >/dev/full', process.execPath, CLI_BIN, ...args], {
        cwd: workDir(),
        env: childEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    return { code: await cli.exited, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  it('when stdout cannot be written, a single seed exits 1 and names by id, never by token, the session it stored, without a stack trace', async () => {
    const city = aTag();

    const result = await runCliIntoFullDisk(['seed', '--name', 'Budi', '--city', city, '--country', 'Indonesia']);

    expect(result.code, result.stderr).to.equal(1);
    const stored = await sessionsOf(city);
    expect(stored).to.have.length(1);
    expect(result.stderr).to.include(`livechat seed: session ${stored[0]!.id} stored, but its token was not written: cannot write stdout (ENOSPC)`);
    expect(result.stderr, 'no stack trace').to.not.match(/^\s+at /m);
    expect(result.stderr, 'tokens are credentials').to.not.match(/eyJ|sessionToken/);
  });

  it('when stdout cannot be written, a --file run stops, exits 1 and names the stored sessions whose lines were lost, without a stack trace', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, listenersCsv(city, 50));

    const result = await runCliIntoFullDisk(['seed', '--file', file, '--concurrency', '4']);

    expect(result.code, result.stderr).to.equal(1);
    expect(result.stderr).to.include('livechat seed: stopped early: cannot write stdout (ENOSPC)');
    const named = [...result.stderr.matchAll(/^livechat seed: line \d+: session (\S+) stored, but its token was not written$/gm)].map(([, id]) => id);
    const stored = await sessionsOf(city);
    expect(stored.length).to.be.within(1, 2 * 4);
    expect(named.sort()).to.deep.equal(stored.map((row) => row.id).sort());
    expect(result.stderr, 'no stack trace').to.not.match(/^\s+at /m);
  });

  it('leaves an earlier --out file as it was when the input cannot be read', async () => {
    const out = path.join(workDir(), 'sessions.jsonl');
    writeFileSync(out, '{"line":2,"sessionToken":"earlier run"}\n');
    // Tests run as root, who reads any file whatever its mode; a directory cannot be read as rows by anyone.
    const notAFile = path.join(workDir(), 'listeners.csv');
    mkdirSync(notAFile);

    const result = await runCli(['seed', '--file', notAFile, '--out', out], { env, cwd: workDir() });

    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`cannot read ${notAFile} (EISDIR)`);
    expect(readFileSync(out, 'utf8')).to.equal('{"line":2,"sessionToken":"earlier run"}\n');
  });

  it('reports malformed CSV lines (wrong column count, stray quote) by line and seeds the rows around them', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(
      file,
      [
        'name,city,country',
        `Budi,${city},Indonesia`,
        `Ani,${city}`,
        `Sari,${city},Indonesia,extra`,
        `Joko,So"lo,Indonesia`,
        `"Dewi ""Ayu""",${city},Indonesia`,
        `"Rina",${city},"Indonesia"`,
      ].join('\r\n'),
    );

    const result = await runCli(['seed', '--file', file], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(reportedLines(result.stderr)).to.deep.equal([3, 4, 5, 6]);
    expect(lineReport(result.stderr, 3)).to.deep.equal({ errors: { row: ['Jumlah kolom tidak sesuai dengan header.'] } });
    expect(lineReport(result.stderr, 4)).to.deep.equal({ errors: { row: ['Jumlah kolom tidak sesuai dengan header.'] } });
    // A quote is not a character a name or a city may hold: refused by the profile rules, stray or well-formed.
    expect(lineReport(result.stderr, 5)).to.have.nested.property('errors.city');
    expect(lineReport(result.stderr, 6)).to.have.nested.property('errors.name');
    expect(parseLines(result.stdout).map((session) => session.line).sort()).to.deep.equal([2, 7]);
    expect((await sessionsOf(city)).map((row) => row.name).sort()).to.deep.equal(['Budi', 'Rina']);
  });

  it('reads the rows from standard input with --file - (a pipe: no size to show progress against)', async () => {
    const city = aTag();
    const child = spawn(process.execPath, [CLI_BIN, 'seed', '--file', '-', '--format', 'csv'], {
      cwd: workDir(),
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const cli = watchProcess(child);
    child.stdin.end(`name,city,country\nBudi,${city},Indonesia\nAni,${city},Indonesia\n`);

    expect(await cli.exited, cli.stderr()).to.equal(0);
    expect(parseLines(cli.stdout()).map((session) => session.line).sort()).to.deep.equal([2, 3]);
    expect((await sessionsOf(city)).map((row) => row.name).sort()).to.deep.equal(['Ani', 'Budi']);
  });

  it('seeds every row after a stray quote, and names every line a quote never closed swallowed', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    const rows = ['name,city,country', `"Budi" ,${city},Indonesia`, `Ani,${city},Indonesia`, `"Ci"ci,${city},Indonesia`, `Eko,${city},Indonesia`];
    writeFileSync(file, `${[...rows, `"Sari,${city},Indonesia`, `Joko,${city},Indonesia`].join('\n')}\n`);

    const result = await runCli(['seed', '--file', file, '--lang', 'en'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(lineReport(result.stderr, 2)).to.have.nested.property('errors.name');
    expect(lineReport(result.stderr, 4)).to.have.nested.property('errors.name');
    expect(result.stderr).to.include(
      'lines 6–7: {"errors":{"row":["A quote is opened but never closed: the lines after it were read as part of this one."]}}',
    );
    expect(result.stderr).to.include('2 created, 3 failed');
    expect((await sessionsOf(city)).map((row) => row.name).sort()).to.deep.equal(['Ani', 'Eko']);
  });

  it('reports a CSV record over 64 KiB by its line number and seeds the records after it, numbered right', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(
      file,
      [
        'name,city,country,notes',
        `Budi,${city},Indonesia,`,
        `"${'x'.repeat(200_000)}",${city},Indonesia,`,
        `Ani,${city},Indonesia,`,
        // Quoted newlines: these records start on lines 5 and 7, as an editor shows them, and end on 6 and 8.
        `Sari,${city},Indonesia,"two\nlines"`,
        `"Joko\n<b>",${city},Indonesia,`,
        `Dewi,${city},Indonesia,`,
      ].join('\n'),
    );

    const result = await runCli(['seed', '--file', file, '--lang', 'en'], { env, cwd: workDir() });

    expect(result.code, result.stderr).to.equal(1);
    expect(reportedLines(result.stderr)).to.deep.equal([3, 7]);
    expect(lineReport(result.stderr, 3)).to.deep.equal({ errors: { row: ['This line is too long.'] } });
    expect(lineReport(result.stderr, 7)).to.have.nested.property('errors.name');
    expect(result.stderr).to.include('4 created, 2 failed');
    expect(parseLines(result.stdout).map((session) => session.line).sort()).to.deep.equal([2, 4, 5, 9]);
    expect((await sessionsOf(city)).map((row) => row.name).sort()).to.deep.equal(['Ani', 'Budi', 'Dewi', 'Sari']);
  });

  it('stops on a CSV without the name,city,country header, naming the columns, storing nothing and leaving --out as it was', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'listeners.csv');
    writeFileSync(file, `nama,kota,negara\nBudi,${city},Indonesia\n`);
    const out = path.join(workDir(), 'sessions.jsonl');
    writeFileSync(out, '{"line":2,"sessionToken":"earlier run"}\n');

    const result = await runCli(['seed', '--file', file, '--out', out], { env, cwd: workDir() });

    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(`cannot read ${file} (the CSV header must name the columns name, city, country; found: nama, kota, negara)`);
    expect(await sessionsOf(city)).to.have.length(0);
    expect(readFileSync(out, 'utf8')).to.equal('{"line":2,"sessionToken":"earlier run"}\n');
  });

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`on ${signal} stops reading, lets sessions in flight finish and be printed, and exits ${exitCode}: every printed session stored, nothing else`, async () => {
      const city = aTag();
      const file = path.join(workDir(), 'many.csv');
      writeFileSync(file, listenersCsv(city, 100_000));

      const cli = spawnCli(['seed', '--file', file, '--concurrency', '8'], { env, cwd: workDir() });
      while (cli.stdout().split('\n').length < 200) {
        if (cli.child.exitCode !== null) throw new Error(`the CLI ended early:\n${cli.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      cli.child.kill(signal);
      const code = await cli.exited;

      expect(code, cli.stderr()).to.equal(exitCode);
      expect(cli.stdout().endsWith('\n'), 'the last line is whole').to.equal(true);
      const printed = parseLines(cli.stdout());
      expect(printed.length).to.be.within(199, 99_999);
      expect(cli.stderr()).to.match(new RegExp(`${printed.length} created, 0 failed \\(interrupted`));
      const stored = await sessionsOf(city);
      expect(new Set(stored.map((row) => row.id)), 'exactly the printed sessions are stored').to.deep.equal(
        new Set(printed.map((session) => session.sessionId)),
      );
      expect(stored.every((row) => row.guest_id === row.user_id), 'every session has its guest').to.equal(true);
    });
  }

  it('takes a Ctrl-C repeated within a second (npx passing it on) as the same stop, while sessions in flight still wait', async () => {
    const city = aTag();
    const file = path.join(workDir(), 'many.csv');
    writeFileSync(file, listenersCsv(city, 1_000));
    const lock = await lockSessions(database);
    const cli = spawnCli(['seed', '--file', file, '--concurrency', '2'], { env, cwd: workDir() });
    try {
      while (!(await insertWaitsForLock(database))) {
        if (cli.child.exitCode !== null) throw new Error(`the CLI ended early:\n${cli.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      cli.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      cli.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(cli.child.signalCode, 'not ended by the repeat').to.equal(null);
    } finally {
      await lock.release();
    }
    const code = await cli.exited;

    expect(code, cli.stderr()).to.equal(130);
    const printed = parseLines(cli.stdout());
    expect(cli.stderr()).to.match(new RegExp(`${printed.length} created, 0 failed \\(interrupted`));
    expect((await sessionsOf(city)).map((row) => row.id).sort()).to.deep.equal(printed.map((session) => session.sessionId).sort());
  });
});
