import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { RawProfile } from '../../domain/listenerProfile.js';
import { PROFILE_FIELDS } from '../../domain/profileRules.js';
import { boundedLines, TOO_LONG } from './boundedLines.js';
import type { RowProblem } from './rowMessages.js';

export const FILE_FORMATS = ['csv', 'jsonl'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/**
 * One listener read from a file, or why its line could not be read; `line` is 1-based, as an editor shows it, and
 * for a CSV record over several lines (newlines inside quotes) the line it starts on. `end` is how far into the
 * file the row reaches, in bytes (for a CSV record the parser refused, how far it had read of it): once this row
 * and those before it are done, so is the file up to there.
 */
export type ListenerRow = { readonly line: number; readonly end: number } & (
  | { readonly profile: RawProfile }
  | { readonly problem: RowProblem }
);

/** Far above any valid row (three fields of 100 characters): a longer line or record is refused as too long. */
const MAX_LINE_BYTES = 64 * 1024;
/** The most of one CSV record the parser may hold while reading it; see csvRows. */
const MAX_CSV_RECORD_HELD_BYTES = 16 * 1024 * 1024;

/** The format named by the file's extension, or undefined when it names none. */
export const formatOfFile = (file: string): FileFormat | undefined => {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
};

/** A header the rows cannot be read with; ends the run, as no row after it could be read either. */
export class HeaderError extends Error {
  constructor(found: readonly string[]) {
    super(`the CSV header must name the columns ${PROFILE_FIELDS.join(', ')}; found: ${found.join(', ') || '(nothing)'}`);
    this.name = 'HeaderError';
  }
}

/** A CSV record too large to hold, most likely a quote never closed; ends the run, as no row after it is read. */
export class CsvRecordTooLargeError extends Error {
  constructor(afterLine: number) {
    super(
      `a CSV record after line ${afterLine} is over ${MAX_CSV_RECORD_HELD_BYTES / 1024 / 1024} MiB ` +
        '(most likely a quote that is never closed): the rest of the file was not read',
    );
    this.name = 'CsvRecordTooLargeError';
  }
}

// Only the profile fields travel inward, as over HTTP: other columns or keys are ignored, never stored.
const profileOf = (source: Readonly<Record<string, unknown>>): RawProfile => ({
  name: source.name,
  city: source.city,
  country: source.country,
});

const csvProblem = (error: CsvError): RowProblem => {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return 'wrong_column_count';
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'bad_quotes';
    default:
      return 'malformed_csv';
  }
};

/** A record's raw text without the blank lines skipped before it and the line end it is on. */
const ownTextOf = (raw: string): string => raw.replace(/^[\r\n]+/, '').replace(/[\r\n]$/, '');

/**
 * Where csv-parse's own count puts the line a record starts on. It numbers only the line it has read up to,
 * counting each CR and each LF it has gone past, quoted or not, all but the one it is on: the record's own text
 * holds the ones to take back.
 */
const parserStartLine = (linesReadUpTo: number, raw: string): number =>
  linesReadUpTo - (ownTextOf(raw).match(/[\r\n]/g)?.length ?? 0);

/** CRLFs inside the record's quoted fields: csv-parse counts each as two lines, where an editor shows one. */
const crlfsIn = (raw: string): number => ownTextOf(raw).split('\r\n').length - 1;

/** What a record holds, in UTF-8 bytes (its quotes and commas aside). */
const bytesOf = (record: Readonly<Record<string, string>>): number =>
  Object.values(record).reduce((total, field) => total + Buffer.byteLength(field), 0);

/**
 * Rows of a CSV file with a `name,city,country` header, in file order. A malformed record, or one over 64 KiB,
 * is reported as a problem of its line, not fatal. Pulled one at a time: the parser reads the file only as fast
 * as rows are taken.
 *
 * The 64 KiB limit is checked on each record once parsed, not with the parser's max_record_size: with
 * skip_records_with_error, csv-parse 6 reports a record over it and then throws away the rest of every chunk it
 * is given, losing every later row without a word. As only the parser knows where a record ends (quoted fields
 * hold newlines), it has to hold a long record whole; memory is bounded instead by stopping the run, loudly, at
 * a record still unfinished after 16 MiB: nearly always a quote never closed, which swallows the rest anyway.
 */
async function* csvRows(input: Readable): AsyncGenerator<ListenerRow> {
  const skipped: ListenerRow[] = [];
  // Where the header or the last record read ended: a record too large to hold starts after it.
  let lastLine = 0;
  // Set when the record being read grew too large: how many records the parser had ended by then.
  let cutAfterRecords: number | undefined;
  // What csv-parse has counted too many lines so far, as it reads (skipped records included), which runs ahead
  // of the records taken: each record after a CRLF inside quotes would be numbered one line too far.
  let countedTwice = 0;
  // info.bytes: where the record ends, its line end included.
  type ParsedRecord = { record: Record<string, string>; raw: string; info: { lines: number; bytes: number } };
  // Numbered as the parser reads them, in step with the records it skips: taken later, they are looked up.
  const numbered = new WeakMap<ParsedRecord, { start: number; end: number }>();
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim().toLowerCase());
      if (!PROFILE_FIELDS.every((field) => names.includes(field))) throw new HeaderError(header);
      lastLine = parser.info.lines;
      return names;
    },
    info: true,
    // Each record's own text, for the line it starts on (a long record is then held twice, within the 16 MiB cut).
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // With info and raw on, what csv-parse hands here (and pushes on) is the whole parsed record, not only the row.
    on_record: (parsed: unknown) => {
      const record = parsed as ParsedRecord;
      const start = parserStartLine(record.info.lines, record.raw) - countedTwice;
      countedTwice += crlfsIn(record.raw);
      numbered.set(record, { start, end: record.info.lines - countedTwice });
      return parsed;
    },
  });
  let lastSkipped: { parserStart: number; crlfs: number } | undefined;
  // raw is the record as read so far: a record is skipped as soon as a problem is found in it, often before its end.
  parser.on('skip', (error: CsvError & { lines?: number; bytes?: number }, raw: string) => {
    if (cutAfterRecords !== undefined) return;
    const parserStart = parserStartLine(error.lines ?? 0, raw);
    const crlfs = crlfsIn(raw);
    // A record with two problems (a stray quote and a missing column) is skipped once per problem, read further
    // each time: one row, one report, its CRLFs counted once.
    if (parserStart === lastSkipped?.parserStart) {
      countedTwice += crlfs - lastSkipped.crlfs;
      lastSkipped.crlfs = crlfs;
      return;
    }
    lastSkipped = { parserStart, crlfs };
    skipped.push({ line: parserStart - countedTwice, end: error.bytes ?? 0, problem: csvProblem(error) });
    countedTwice += crlfs;
  });
  let bytesFed = 0;
  async function* fedUntilRecordTooLarge(): AsyncGenerator<Buffer> {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      // info.bytes moves at the end of each field and record (not over blank lines): what the parser was given
      // beyond it, it holds.
      if (bytesFed - parser.info.bytes > MAX_CSV_RECORD_HELD_BYTES) {
        cutAfterRecords = parser.info.records;
        return;
      }
      bytesFed += chunk.length;
      yield chunk;
    }
  }
  // An error reading the file reaches the loop below through the parser, which pipeline destroys with it.
  pipeline(fedUntilRecordTooLarge(), parser, () => undefined);
  let taken = 0;
  for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
    const { record, info } = parsed;
    // Once cut short, what the parser still ends is the part of the file not to be read (the input ends mid-record).
    if (taken === cutAfterRecords) break;
    taken += 1;
    const { start: line, end: endLine } = numbered.get(parsed)!;
    // The parser reports a skipped record as soon as it parses ahead to it; hand it on in file order, so a
    // run stopped early reports no line beyond where it stopped.
    while (skipped[0] !== undefined && skipped[0].line < line) yield skipped.shift()!;
    lastLine = endLine;
    const end = info.bytes;
    yield bytesOf(record) > MAX_LINE_BYTES ? { line, end, problem: 'too_long' } : { line, end, profile: profileOf(record) };
  }
  yield* skipped.splice(0);
  if (cutAfterRecords !== undefined) throw new CsvRecordTooLargeError(lastLine);
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Rows of a JSON Lines file: one object per line; blank lines are skipped, a line too long is reported. A byte
 * order mark at the start (as some Windows editors save UTF-8) is not part of the first line, as with CSV.
 */
async function* jsonLinesRows(input: Readable): AsyncGenerator<ListenerRow> {
  let line = 0;
  for await (const { text: read, end } of boundedLines(input as AsyncIterable<Buffer>, MAX_LINE_BYTES)) {
    line += 1;
    if (read === TOO_LONG) {
      yield { line, end, problem: 'too_long' };
      continue;
    }
    const text = line === 1 && read.startsWith(BYTE_ORDER_MARK) ? read.slice(1) : read;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, end, problem: 'not_json' };
      continue;
    }
    yield isJsonObject(value) ? { line, end, profile: profileOf(value) } : { line, end, problem: 'not_an_object' };
  }
}

export const readListenerRows = (input: Readable, format: FileFormat): AsyncGenerator<ListenerRow> =>
  format === 'csv' ? csvRows(input) : jsonLinesRows(input);

/**
 * Reads the first row at once, so that a file whose rows cannot be read at all (a CSV without its header) is
 * found before anything is written; the rows come back whole, that first one included.
 */
export const withFirstRowRead = async (rows: AsyncGenerator<ListenerRow>): Promise<AsyncGenerator<ListenerRow>> => {
  const first = await rows.next();
  return (async function* () {
    try {
      if (first.done === true) return;
      yield first.value;
      yield* rows;
    } finally {
      await rows.return(undefined);
    }
  })();
};
