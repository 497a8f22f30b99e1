import { constants, fstatSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../messages/locale.js';
import { profileErrorMap } from '../messages/profileMessages.js';
import { startedSessionView } from '../views/startedSessionView.js';
import { seedBatch } from './batchSeeder.js';
import type { CliDependencies } from './cliDependencies.js';
import { reasonOf, unlessSchemaBehind, whyStopped } from './failureWords.js';
import { FILE_FORMATS, formatOfFile, readListenerRows, withFirstRowRead, type FileFormat } from './listenerRows.js';
import { createSeedProgress } from './seedProgress.js';
import { written } from './written.js';

export const DEFAULT_CONCURRENCY = 8;

interface SeedOptions {
  readonly name?: string;
  readonly city?: string;
  readonly country?: string;
  readonly file?: string;
  readonly format?: FileFormat;
  readonly out?: string;
  readonly concurrency: number;
  readonly lang: Locale;
}

/** A file the run cannot start with: the input's rows cannot be read at all (a CSV without its header), or --out cannot be written. */
class FileProblem extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/** Whether `path` names the file `stats` describe (a missing path names none). */
const isSameFile = async (path: string, stats: Stats): Promise<boolean> => {
  const other = await stat(path).catch(() => undefined);
  return other !== undefined && other.dev === stats.dev && other.ino === stats.ino;
};

/** The user this process runs as; none where the system has no such ids (Windows). */
const THIS_USER = process.getuid?.();

const openForWriting = (out: string, flags: number): Promise<FileHandle> =>
  open(out, constants.O_WRONLY | constants.O_CREAT | flags, 0o600).catch((error: unknown) => {
    throw new FileProblem(`cannot write --out ${out}`, error);
  });

/**
 * Opens --out for the sessions. Their tokens are credentials: a file is made readable by its owner only, even one
 * that existed, and emptied only then, so that one whose mode cannot be changed keeps an earlier run's sessions.
 * Anything else (a pipe, /dev/null, a terminal) is written as it is: its mode is not the run's to change (as
 * root, /dev/null would become unwritable to every other user), and it cannot be emptied. A file is never reached
 * through a symbolic link, nor taken if another user owns it: in a shared folder, a link planted at the name
 * would have the run empty and take over whatever file it points to, and a file another user made would hand
 * them the tokens (its owner can make it readable again).
 */
const openOutFile = async (out: string): Promise<FileHandle> => {
  const outFile = await openForWriting(out, constants.O_NOFOLLOW).catch(async (error: unknown) => {
    // A link to a pipe or a terminal (`--out /dev/stdout`) is as good as what it points to: nothing is emptied.
    if (!(error instanceof FileProblem && (error.cause as NodeJS.ErrnoException).code === 'ELOOP')) throw error;
    const linked = await openForWriting(out, 0);
    if (!(await linked.stat()).isFile()) return linked;
    await linked.close();
    throw new FileProblem(`--out ${out} is a symbolic link to a file; name the file itself`, error.cause);
  });
  try {
    const stats = await outFile.stat();
    if (stats.isFile()) {
      if (THIS_USER !== undefined && stats.uid !== THIS_USER) {
        throw new FileProblem(`--out ${out} belongs to another user (uid ${stats.uid}), who could read the tokens`, undefined);
      }
      await outFile.chmod(0o600).catch((error: unknown) => {
        throw new FileProblem(`cannot make --out ${out} owner-only`, error);
      });
      await outFile.truncate();
    }
    return outFile;
  } catch (error) {
    await outFile.close();
    throw error;
  }
};

const seedOne = async (deps: CliDependencies, options: SeedOptions): Promise<number> => {
  const { io } = deps;
  const seeder = await deps.openSeeder();
  try {
    const outcome = await seeder.startSession.execute({
      profile: { name: options.name, city: options.city, country: options.country },
    });
    if (!outcome.ok) {
      io.stderr.write(`${JSON.stringify({ errors: profileErrorMap(options.lang, outcome.error) })}\n`);
      return 1;
    }
    const view = startedSessionView(outcome.value);
    const writeError = await written(io.stdout, `${JSON.stringify(view)}\n`);
    if (writeError !== undefined) {
      // By id, never by token: this is stderr, which ends up in logs.
      io.stderr.write(`livechat seed: session ${view.sessionId} stored, but its token was not written: cannot write stdout (${reasonOf(writeError)})\n`);
      return 1;
    }
    return 0;
  } finally {
    await seeder.close();
  }
};

/** `--file -`: standard input, as for most tools that read a file. */
const STANDARD_INPUT = '-';

interface OpenedInput {
  readonly input: Readable;
  readonly stats: Stats;
}

/**
 * Opens the file, not only looks at it: one that exists but cannot be read must stop the run here, before --out.
 * Standard input is read as Node gives it (a pipe, a socket or a file each need their own kind of stream).
 */
const openInput = async (file: string, stdin: Readable): Promise<OpenedInput> => {
  if (file === STANDARD_INPUT) return { input: stdin, stats: fstatSync(0) };
  const inputFile = await open(file, 'r');
  try {
    const stats = await inputFile.stat();
    // A directory opens, and fails only when read.
    if (stats.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    return { input: inputFile.createReadStream(), stats };
  } catch (error) {
    await inputFile.close();
    throw error;
  }
};

const seedFile = async (deps: CliDependencies, file: string, format: FileFormat, options: SeedOptions): Promise<number> => {
  const { io } = deps;
  const name = file === STANDARD_INPUT ? 'standard input' : file;
  let opened: OpenedInput;
  try {
    opened = await openInput(file, io.stdin);
  } catch (error) {
    io.stderr.write(`livechat seed: cannot read ${name} (${reasonOf(error)})\n`);
    return 1;
  }
  const { input, stats: inputStats } = opened;
  // Opening --out empties it: were it the input (by any name or link), the listeners would be lost.
  if (options.out !== undefined && (await isSameFile(options.out, inputStats))) {
    input.destroy();
    io.stderr.write(`livechat seed: --out ${options.out} is the input file; write the sessions to another file\n`);
    return 1;
  }
  // A pipe (standard input, or `--file <(zcat …)`) has no size, and neither has a file that says it is empty (as
  // those of /proc do) but may not be: the progress then shows counts alone.
  const size = inputStats.isFile() && inputStats.size > 0 ? inputStats.size : undefined;
  // The input, the seeder and the first row first, and only then the --out file, which opening empties: a run
  // that cannot start (an unreadable file, a CSV without its header, no database, a bad setting) leaves an
  // earlier run's sessions where they are.
  let seeder;
  let rows;
  let outFile;
  try {
    seeder = await deps.openSeeder();
    rows = await withFirstRowRead(readListenerRows(input, format)).catch((error: unknown) => {
      throw new FileProblem(`cannot read ${name}`, error);
    });
    if (options.out !== undefined) outFile = await openOutFile(options.out);
  } catch (error) {
    await outFile?.close();
    await seeder?.close();
    input.destroy();
    if (!(error instanceof FileProblem)) throw error;
    io.stderr.write(`livechat seed: ${error.message}${error.cause === undefined ? '' : ` (${reasonOf(error.cause)})`}\n`);
    return 1;
  }
  const output: Writable = outFile?.createWriteStream() ?? (io.stdout as Writable);
  const outputName = options.out === undefined ? 'stdout' : `--out ${options.out}`;
  const interrupt = new AbortController();
  // A failed write reaches seedBatch through the line's own callback, and stops the run there. Listened for all
  // the same: an 'error' event nobody listens for is thrown, and one from closing the file belongs to no line.
  let streamFailure: unknown;
  const onWriteError = (error: unknown): void => {
    streamFailure ??= error;
  };
  output.on('error', onWriteError);
  const progress = createSeedProgress({ stream: io.stderr, interactive: io.stderr.isTTY === true, totalBytes: size });
  // A stop signal (Ctrl-C, or the SIGTERM of `timeout`, systemd or `docker stop`), or the process that started
  // this one going away (taken for a SIGHUP, as a closed terminal sends), winds the run down: the sessions
  // in flight finish and are printed, so that what was printed is what was stored. A second one ends the process
  // at once, as Node's default would, but only once the bar has given the terminal its cursor back.
  // (cli-progress's gracefulExit would stop the bar at the first Ctrl-C, which only winds the run down.) Listened
  // for until the process exits: npx passes a Ctrl-C on a moment after the terminal sent it, and a run that had
  // wound down by then would be ended before its summary.
  let stoppedBy: NodeJS.Signals | undefined;
  const stopListening = deps.onStopSignals(
    (signal) => {
      stoppedBy = signal;
      interrupt.abort();
    },
    (signal) => {
      stopListening();
      progress.stop();
      process.kill(process.pid, signal);
    },
  );
  let outcome;
  // The output's failure up to its close: one heard only on closing is told apart below.
  let failedBeforeClose: unknown;
  try {
    outcome = await seedBatch({
      rows,
      startSession: seeder.startSession,
      output,
      concurrency: options.concurrency,
      locale: options.lang,
      progress,
      signal: interrupt.signal,
    });
    // Every row done: so is what no row holds, such as blank lines at the end of the file.
    if (!outcome.interrupted && outcome.failure === undefined && outcome.writeFailure === undefined) {
      progress.update({ created: outcome.created, failed: outcome.failed, bytesDone: size ?? 0 });
    }
  } finally {
    progress.stop();
    input.destroy();
    failedBeforeClose = streamFailure;
    if (outFile !== undefined) {
      // Until closed, not only ended: a network file system (or a failing disk) may say only then that it could
      // not keep what it was given. The stream closes the file itself (autoClose), and its error reaches
      // onWriteError.
      await finished(output.end()).catch(() => undefined);
    }
    output.removeListener('error', onWriteError);
    await seeder.close();
  }

  const writeFailure = outcome.writeFailure ?? failedBeforeClose;
  const closeFailure = writeFailure === undefined ? streamFailure : undefined;
  if (writeFailure !== undefined) {
    io.stderr.write(`livechat seed: stopped early: cannot write ${outputName} (${reasonOf(writeFailure)})\n`);
  } else if (outcome.failure !== undefined) {
    io.stderr.write(`livechat seed: stopped early: ${whyStopped(outcome.failure, seeder.database)}\n`);
  }
  if (closeFailure !== undefined) {
    io.stderr.write(`livechat seed: cannot write ${outputName} (${reasonOf(closeFailure)}): its lines may not all be kept\n`);
  }
  // By id, never by token: this is stderr, which ends up in logs. The line says which listener it was for.
  for (const { line, sessionId } of [...outcome.unwritten].sort((a, b) => a.line - b.line)) {
    io.stderr.write(`livechat seed: line ${line}: session ${sessionId} stored, but its token was not written\n`);
  }
  const interrupted = outcome.interrupted && writeFailure === undefined;
  const stoppedEarly = interrupted || writeFailure !== undefined || outcome.failure !== undefined;
  const counts = [
    `${outcome.created} created`,
    ...(writeFailure === undefined ? [] : [`${outcome.unwritten.length} stored but not written`]),
    `${outcome.failed} failed`,
  ];
  // Where to resume: seeding the same file again would create every session again, each row a new guest.
  const notRead = outcome.linesRead === 0 ? '' : `, from line ${outcome.linesRead + 1} on`;
  const cutShort = stoppedEarly ? ` (${interrupted ? 'interrupted' : 'stopped early'}: the rest of the file was not read${notRead})` : '';
  io.stderr.write(`seeded ${name}: ${counts.join(', ')}${cutShort}\n`);
  // What a shell reports for a process the signal ended: 130 for Ctrl-C, 143 for SIGTERM.
  if (interrupted) return 128 + osConstants.signals[stoppedBy ?? 'SIGINT'];
  const failed = writeFailure !== undefined || closeFailure !== undefined || outcome.failure !== undefined || outcome.failed > 0;
  return failed ? 1 : 0;
};

const concurrencyParser = (max: number) => (raw: string): number => {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`a whole number from 1 to ${max} (the size of the database pool, DATABASE_POOL_MAX)`);
  }
  return value;
};

export const defineSeedCommand = (program: Command, deps: CliDependencies, exitWith: (code: number) => void): void => {
  program
    .command('seed')
    .summary('start sessions through the same use case as POST /livechat/session')
    .description(
      'Start one session from --name, --city and --country, or one per row of --file (CSV with a header ' +
        'name,city,country, or JSON Lines of {"name","city","country"} objects). Each stored session is ' +
        'printed as one JSON line; invalid rows are reported on stderr with their line number, and the run ' +
        'ends with a summary. Exit code: 0 all stored, 1 any row failed or the output could not be written (the ' +
        'sessions stored without their lines are named on stderr by id), 130 interrupted (Ctrl-C, or 143 for ' +
        'SIGTERM, 129 for SIGHUP or when the process that started it has gone: the sessions in flight finish and are printed).',
    )
    .option('--name <name>', "the listener's name")
    .option('--city <city>', "the listener's city")
    .option('--country <country>', "the listener's country")
    .addOption(new Option('--file <path>', 'seed one session per row of this file (- for standard input, with --format)').conflicts(['name', 'city', 'country']))
    .addOption(new Option('--format <format>', 'format of --file (default: from its extension, .csv, .jsonl or .ndjson)').choices(FILE_FORMATS))
    .option('--out <path>', 'with --file: write the session lines to this file (owner-only) instead of stdout')
    .option(
      '--concurrency <n>',
      `with --file: sessions started at a time, 1–${deps.maxConcurrency}`,
      concurrencyParser(deps.maxConcurrency),
      Math.min(DEFAULT_CONCURRENCY, deps.maxConcurrency),
    )
    .addOption(new Option('--lang <locale>', 'language of the validation messages').choices(LOCALES).default(DEFAULT_LOCALE))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ livechat seed --name Budi --city Solo --country Indonesia\n' +
        '  $ livechat seed --file listeners.csv --out sessions.jsonl --concurrency 8\n' +
        '  $ livechat seed --file listeners.jsonl --lang en > sessions.jsonl',
    )
    .action(async (options: SeedOptions, command: Command) => {
      if (options.file === undefined) {
        const withFileOnly = options.format !== undefined || options.out !== undefined || command.getOptionValueSource('concurrency') === 'cli';
        if (withFileOnly) command.error('error: --format, --out and --concurrency go with --file');
        if (options.name === undefined && options.city === undefined && options.country === undefined) {
          command.error('error: give --name, --city and --country, or --file');
        }
        exitWith(await unlessSchemaBehind('seed', deps, () => seedOne(deps, options)));
        return;
      }
      const { file } = options;
      const format = options.format ?? formatOfFile(file);
      if (format === undefined) command.error(`error: cannot tell the format of ${file}; add --format csv or --format jsonl`);
      exitWith(await unlessSchemaBehind('seed', deps, () => seedFile(deps, file, format, options)));
    });
};
