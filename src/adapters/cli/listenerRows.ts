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
 * file the row reaches, in bytes: once this row and those before it are done, so is the file up to there. A CSV
 * record over several lines tells its `lastLine` too, where a run cut short after it would resume; and a refused
 * one is reported with it: a quote opened by mistake makes one record of every line up to the next quote, and the
 * operator has to see which lines were lost with it.
 */
export type ListenerRow = { readonly line: number; readonly end: number; readonly lastLine?: number } & (
  | { readonly profile: RawProfile }
  | { readonly problem: RowProblem }
);

/** Far above any valid row (three fields of 100 characters): a longer line or record is refused as too long. */
const MAX_LINE_BYTES = 64 * 1024;
/**
 * The most of one CSV record the parser may hold while reading it; see csvRows. A record holds a string per field:
 * a MiB of one-character fields is about 30 MB of memory.
 */
const MAX_CSV_RECORD_HELD_BYTES = 1024 * 1024;
/** How much of a wrong header an error shows: a file with no line end is one header, of any length. */
const MAX_HEADER_SHOWN = 200;

/** The format named by the file's extension, or undefined when it names none. */
export const formatOfFile = (file: string): FileFormat | undefined => {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
};

/** The header as found, for a terminal: invisible and control characters escaped, and cut short. */
const shownHeader = (found: readonly string[]): string => {
  const text = found.join(', ').replace(/\p{C}/gu, (character) => `\\u{${character.codePointAt(0)!.toString(16)}}`);
  return text.length > MAX_HEADER_SHOWN ? `${text.slice(0, MAX_HEADER_SHOWN)}…` : text;
};

/**
 * A header the rows cannot be read with (or none at all); ends the run, as no row after it could be read either.
 * `repeated` is a profile field it names more than once: a row would then hold two values for it, one of which
 * csv-parse would keep without a word.
 */
export class HeaderError extends Error {
  constructor(found: readonly string[], repeated?: string) {
    const wrong =
      repeated === undefined
        ? `must name the columns ${PROFILE_FIELDS.join(', ')}`
        : `names the column ${repeated} more than once: it must name each of ${PROFILE_FIELDS.join(', ')} once`;
    super(`the CSV header ${wrong}; found: ${shownHeader(found) || '(nothing)'}`);
    this.name = 'HeaderError';
  }
}

/** A CSV record too large to hold, most likely a quote never closed; ends the run, as no row after it is read. */
export class CsvRecordTooLargeError extends Error {
  constructor(afterLine: number) {
    super(
      `${afterLine === 0 ? 'the CSV header' : `a CSV record after line ${afterLine}`} is over ` +
        `${MAX_CSV_RECORD_HELD_BYTES / 1024 / 1024} MiB (most likely a quote that is never closed): the rest of the file was not read`,
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

/** The line breaks inside a record, as an editor counts them (a CRLF is one), blank lines at its end aside. */
const lineBreaksIn = (raw: string): number => raw.replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\r\n|[\r\n]/g)?.length ?? 0;

/** What a record holds, in UTF-8 bytes (its quotes and commas aside). */
const bytesOf = (record: Readonly<Record<string, string>>): number =>
  Object.values(record).reduce((total, field) => total + Buffer.byteLength(field), 0);

/**
 * Rows of a CSV file with a `name,city,country` header, in file order. A malformed record, or one over 64 KiB,
 * is reported as a problem of its line, not fatal. Pulled one at a time: the parser reads the file only as fast
 * as rows are taken.
 *
 * A quote inside a field, or after a quoted one (`"Budi" ,Solo`), is read as part of the field (relax_quotes),
 * whose rules then refuse it as a character: read strictly, csv-parse takes such a quote for the start of a
 * quoted field that only the next quote ends, and every line up to there is lost inside one refused record.
 * A quote that opens a field and never closes still swallows the lines after it, as in any CSV reader; the
 * refused record tells its last line.
 *
 * The 64 KiB limit is checked on each record once parsed, not with the parser's max_record_size: with
 * skip_records_with_error, csv-parse 6 reports a record over it and then throws away the rest of every chunk it
 * is given, losing every later row without a word. As only the parser knows where a record ends (quoted fields
 * hold newlines), it has to hold a long record whole; memory is bounded instead by stopping the run, loudly, at
 * a record still unfinished after 1 MiB: nearly always a quote never closed, which swallows the rest anyway.
 */
async function* csvRows(input: Readable): AsyncGenerator<ListenerRow> {
  const skipped: ListenerRow[] = [];
  let headerRead = false;
  // Where the header or the last record read ended: a record too large to hold starts after it.
  let lastLine = 0;
  // Set when the record being read grew too large: how many records the parser had ended by then.
  let cutAfterRecords: number | undefined;
  let cutInHeader = false;
  // What csv-parse has counted too many lines so far, as it reads (skipped records included), which runs ahead
  // of the records taken: each record after a CRLF inside quotes would be numbered one line too far.
  let countedTwice = 0;
  // Where in the file the parser last ended a record (the header and refused ones included): whatever it was
  // given beyond, it holds as the record under way, field by field.
  let recordsEndAt = 0;
  // info.bytes: where the record ends, its line end included.
  type ParsedRecord = { record: Record<string, string>; raw: string; info: { lines: number; bytes: number } };
  // Numbered as the parser reads them, in step with the records it skips: taken later, they are looked up.
  const numbered = new WeakMap<ParsedRecord, { start: number; end: number }>();
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const names = header.map((name) => name.trim().toLowerCase());
      if (!PROFILE_FIELDS.every((field) => names.includes(field))) throw new HeaderError(header);
      const repeated = PROFILE_FIELDS.find((field) => names.indexOf(field) !== names.lastIndexOf(field));
      if (repeated !== undefined) throw new HeaderError(header, repeated);
      headerRead = true;
      lastLine = parser.info.lines;
      recordsEndAt = parser.info.bytes;
      return names;
    },
    info: true,
    // Each record's own text, for the line it starts on (a long record is then held twice, within the 1 MiB cut).
    raw: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // With info and raw on, what csv-parse hands here (and pushes on) is the whole parsed record, not only the row.
    on_record: (parsed: unknown) => {
      const record = parsed as ParsedRecord;
      const start = parserStartLine(record.info.lines, record.raw) - countedTwice;
      countedTwice += crlfsIn(record.raw);
      numbered.set(record, { start, end: record.info.lines - countedTwice });
      recordsEndAt = record.info.bytes;
      return parsed;
    },
  });
  // Reading quotes loosely, the parser refuses a record only once it has read it whole: at its end (a column
  // missing) or at the end of the file (a quote never closed). raw is then all of it.
  parser.on('skip', (error: CsvError & { lines?: number; bytes?: number }, raw: string) => {
    if (cutAfterRecords !== undefined) return;
    const line = parserStartLine(error.lines ?? 0, raw) - countedTwice;
    const lastOfRecord = line + lineBreaksIn(raw);
    skipped.push({ line, end: error.bytes ?? 0, problem: csvProblem(error), ...(lastOfRecord > line && { lastLine: lastOfRecord }) });
    countedTwice += crlfsIn(raw);
    recordsEndAt = error.bytes ?? recordsEndAt;
  });
  let bytesFed = 0;
  let blankLinesSeen = 0;
  async function* fedUntilRecordTooLarge(): AsyncGenerator<Buffer> {
    let fedBeforeLastChunk = 0;
    for await (const chunk of input as AsyncIterable<Buffer>) {
      // A blank line (which ends no record) ends whatever came before it: somewhere in the last chunk.
      if (parser.info.empty_lines !== blankLinesSeen) {
        blankLinesSeen = parser.info.empty_lines;
        recordsEndAt = Math.max(recordsEndAt, fedBeforeLastChunk);
      }
      if (bytesFed - recordsEndAt > MAX_CSV_RECORD_HELD_BYTES) {
        cutAfterRecords = parser.info.records;
        cutInHeader = !headerRead;
        return;
      }
      fedBeforeLastChunk = bytesFed;
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
    const where = { line, end: info.bytes, ...(endLine > line && { lastLine: endLine }) };
    yield bytesOf(record) > MAX_LINE_BYTES ? { ...where, problem: 'too_long' } : { ...where, profile: profileOf(record) };
  }
  yield* skipped.splice(0);
  if (cutAfterRecords !== undefined) throw new CsvRecordTooLargeError(cutInHeader ? 0 : lastLine);
  // A file with nothing in it but blank lines has no header either: it is not a list of no listeners.
  if (!headerRead) throw new HeaderError([]);
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
