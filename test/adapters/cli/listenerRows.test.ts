import { Readable } from 'node:stream';
import { expect } from 'chai';
import {
  CsvRecordTooLargeError,
  formatOfFile,
  HeaderError,
  readListenerRows,
  type FileFormat,
  type ListenerRow,
  withFirstRowRead,
} from '../../../src/adapters/cli/listenerRows.js';

/** Where a row ends in the file is left to the tests about it. */
const withoutEnd = ({ end: _end, ...row }: ListenerRow): object => row;

/** By default in small chunks, so rows straddle chunk boundaries as they do in a big file; or in one. */
const rowsWithEnds = async (text: string, format: FileFormat, read: 'in small chunks' | 'whole' = 'in small chunks'): Promise<ListenerRow[]> => {
  const rows: ListenerRow[] = [];
  const chunks = read === 'whole' ? [Buffer.from(text)] : (text.match(/[\s\S]{1,7}/g) ?? []);
  for await (const row of readListenerRows(Readable.from(chunks), format)) rows.push(row);
  return rows;
};

const rowsOf = async (text: string, format: FileFormat, read: 'in small chunks' | 'whole' = 'in small chunks'): Promise<object[]> =>
  (await rowsWithEnds(text, format, read)).map(withoutEnd);

const bytes = (text: string): number => Buffer.byteLength(text);

describe('readListenerRows', () => {
  it('reads CSV rows with the line each starts on, keeping quoted commas and newlines, skipping blank lines', async () => {
    const rows = await rowsOf('\uFEFFName, City ,country,notes\r\nBudi,Solo,Indonesia,x\r\n\r\n"Ani, B","Kota\nBaru",Indonesia,y\r\n', 'csv');
    expect(rows).to.deep.equal([
      { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 4, lastLine: 5, profile: { name: 'Ani, B', city: 'Kota\nBaru', country: 'Indonesia' } },
    ]);
  });

  it('numbers a CSV record over several lines, read or refused, by the lines it starts and ends on, and every record after it right', async () => {
    // Newlines inside quotes are LF, as spreadsheets write them, whether records end with LF or CRLF.
    const records = [
      'name,city,country', // line 1
      '"Budi","Kota\n\nBaru",Indonesia', // lines 2-4
      'Ani,Solo,Indonesia', // 5
      '', // 6: blank, skipped
      '"Sari","So\nl"o",Indonesia', // 7-8: a stray quote on its second line, read as part of the field
      'Joko,"Solo\n"', // 9-10: a column missing, found where the record ends
      'Dewi,Solo,Indonesia', // 11
      '"Rina","Kota\nBaru",Indonesia', // 12-13: the last record, with no line end after it
    ];
    const expected = [
      { line: 2, lastLine: 4, profile: { name: 'Budi', city: 'Kota\n\nBaru', country: 'Indonesia' } },
      { line: 5, profile: { name: 'Ani', city: 'Solo', country: 'Indonesia' } },
      { line: 7, lastLine: 8, profile: { name: 'Sari', city: '"So\nl"o"', country: 'Indonesia' } },
      { line: 9, problem: 'wrong_column_count', lastLine: 10 },
      { line: 11, profile: { name: 'Dewi', city: 'Solo', country: 'Indonesia' } },
      { line: 12, lastLine: 13, profile: { name: 'Rina', city: 'Kota\nBaru', country: 'Indonesia' } },
    ];
    for (const lineEnd of ['\n', '\r\n']) {
      const text = records.join(lineEnd);
      expect(await rowsOf(text, 'csv'), JSON.stringify(lineEnd)).to.deep.equal(expected);
      expect(await rowsOf(text, 'csv', 'whole'), JSON.stringify(lineEnd)).to.deep.equal(expected);
    }
  });

  it('numbers CSV records right after a quoted field whose newlines are CRLF, each counted as one line', async () => {
    const records = [
      'name,city,country', // line 1
      '"Budi","Kota\r\n\r\nBaru",Indonesia', // lines 2-4
      'Ani,Solo,Indonesia', // 5
      '"Sari","So\r\nl"o",Indonesia', // 6-7: a stray quote on its second line
      'Dewi,Solo,Indonesia', // 8
      '"Rina","Kota\r\nBaru",Indonesia', // 9-10
      '"Sa"ri","So\r\nlo"', // 11-12: a stray quote, then a column missing
      'Joko,Solo,Indonesia', // 13
    ];
    const text = `${records.join('\r\n')}\r\n`;
    const expected = [
      { line: 2, lastLine: 4, profile: { name: 'Budi', city: 'Kota\r\n\r\nBaru', country: 'Indonesia' } },
      { line: 5, profile: { name: 'Ani', city: 'Solo', country: 'Indonesia' } },
      { line: 6, lastLine: 7, profile: { name: 'Sari', city: '"So\r\nl"o"', country: 'Indonesia' } },
      { line: 8, profile: { name: 'Dewi', city: 'Solo', country: 'Indonesia' } },
      { line: 9, lastLine: 10, profile: { name: 'Rina', city: 'Kota\r\nBaru', country: 'Indonesia' } },
      { line: 11, problem: 'wrong_column_count', lastLine: 12 },
      { line: 13, profile: { name: 'Joko', city: 'Solo', country: 'Indonesia' } },
    ];
    expect(await rowsOf(text, 'csv')).to.deep.equal(expected);
    expect(await rowsOf(text, 'csv', 'whole')).to.deep.equal(expected);
  });

  it('numbers a quote never closed by the line where its record starts, and tells the last line it swallowed', async () => {
    for (const text of ['name,city,country\nBudi,Solo,Indonesia\n"Ani,Solo\nSari,Solo,Indonesia\n', 'name,city,country\r\nBudi,Solo,Indonesia\r\n"Ani,Solo\r\nSari,Solo,Indonesia\r\n\r\n']) {
      expect(await rowsOf(text, 'csv'), JSON.stringify(text)).to.deep.equal([
        { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
        { line: 3, problem: 'bad_quotes', lastLine: 4 },
      ]);
    }
  });

  it('reads a quote inside a field, or after a quoted one, as part of the field, losing none of the lines after it', async () => {
    const text = 'name,city,country\n"Budi" ,Solo,Indonesia\nAni,So"lo,Indonesia\n"Ci"ci,Solo,Indonesia\nEko,Solo,Indonesia\n';
    const expected = [
      { line: 2, profile: { name: '"Budi" ', city: 'Solo', country: 'Indonesia' } },
      { line: 3, profile: { name: 'Ani', city: 'So"lo', country: 'Indonesia' } },
      { line: 4, profile: { name: '"Ci"ci', city: 'Solo', country: 'Indonesia' } },
      { line: 5, profile: { name: 'Eko', city: 'Solo', country: 'Indonesia' } },
    ];
    expect(await rowsOf(text, 'csv')).to.deep.equal(expected);
    expect(await rowsOf(text, 'csv', 'whole')).to.deep.equal(expected);
  });

  it('reports a CSV record with the wrong number of columns as a problem of its line, and of every line it took in', async () => {
    // The quote before "Eko" closes the field the stray "" opened on line 3: lines 3-5 are one record.
    const text = 'name,city,country\nBudi,Solo\nX,"Solo"",ID\nEko,Solo,Indonesia\n"Dewi",Solo,Indonesia\nSari,Solo,Indonesia\n';
    expect(await rowsOf(text, 'csv')).to.deep.equal([
      { line: 2, problem: 'wrong_column_count' },
      { line: 3, problem: 'wrong_column_count', lastLine: 5 },
      { line: 6, profile: { name: 'Sari', city: 'Solo', country: 'Indonesia' } },
    ]);
  });

  it('reports a CSV record over 64 KiB once as too long and reads every record after it, however the file is read', async () => {
    const long = `"${'x'.repeat(70_000)}",Solo,Indonesia`;
    const text = `name,city,country\nBudi,Solo,Indonesia\n${long}\n"Ani","Kota\nBaru",Indonesia\nSari,Solo,Indonesia\n`;
    const expected = [
      { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 3, problem: 'too_long' },
      { line: 4, lastLine: 5, profile: { name: 'Ani', city: 'Kota\nBaru', country: 'Indonesia' } },
      { line: 6, profile: { name: 'Sari', city: 'Solo', country: 'Indonesia' } },
    ];
    expect(await rowsOf(text, 'csv')).to.deep.equal(expected);
    expect(await rowsOf(text, 'csv', 'whole')).to.deep.equal(expected);
  });

  /** Reads `parts` as a file, counting the bytes taken from it, until the rows end or the reading fails. */
  const readCounting = async (parts: readonly (string | Buffer)[]): Promise<{ rows: object[]; failure: unknown; bytesPulled: number }> => {
    let bytesPulled = 0;
    function* file(): Generator<Buffer> {
      for (const part of parts) {
        const bytes = Buffer.from(part);
        bytesPulled += bytes.length;
        yield bytes;
      }
    }
    const rows: object[] = [];
    let failure: unknown;
    try {
      for await (const row of readListenerRows(Readable.from(file()), 'csv')) rows.push(withoutEnd(row));
    } catch (error) {
      failure = error;
    }
    return { rows, failure, bytesPulled };
  };
  const MiB = 1024 * 1024;
  const chunksOf = (text: string, count: number): Buffer[] => Array<Buffer>(count).fill(Buffer.alloc(64 * 1024, text));

  it('stops at a CSV record still unfinished after 1 MiB (a quote never closed), after the rows before it, reading no further', async () => {
    const { rows, failure, bytesPulled } = await readCounting([
      'name,city,country\nBudi,Solo,Indonesia\nAni,"',
      ...chunksOf('x', 16 * 16),
      '\nSari,Solo,Indonesia\n',
    ]);
    expect(rows).to.deep.equal([{ line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } }]);
    expect(failure).to.be.instanceOf(CsvRecordTooLargeError);
    expect((failure as Error).message).to.include('after line 2 is over 1 MiB');
    expect(bytesPulled).to.be.below(1.25 * MiB);
  });

  it('stops at a CSV record of many short fields, or a header, over 1 MiB: a field count bounds nothing', async () => {
    const record = await readCounting(['name,city,country\nBudi,Solo,Indonesia\nx', ...chunksOf(',x', 16 * 16), '\nSari,Solo,Indonesia\n']);
    expect(record.rows).to.deep.equal([{ line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } }]);
    expect(record.failure).to.be.instanceOf(CsvRecordTooLargeError);
    expect(record.bytesPulled).to.be.below(1.25 * MiB);

    const header = await readCounting(['name,city,country', ...chunksOf(',x', 16 * 16), '\nBudi,Solo,Indonesia\n']);
    expect(header.rows).to.deep.equal([]);
    expect((header.failure as Error).message).to.match(/^the CSV header is over 1 MiB/);
    expect(header.bytesPulled).to.be.below(1.25 * MiB);
  });

  it('reads on past more than 1 MiB of blank lines, which hold no record', async () => {
    const { rows, failure } = await readCounting(['name,city,country\nBudi,Solo,Indonesia\n', ...chunksOf('\n', 16 * 2), 'Sari,Solo,Indonesia\n']);
    expect(failure).to.equal(undefined);
    expect(rows).to.deep.equal([
      { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 3 + 2 * MiB, profile: { name: 'Sari', city: 'Solo', country: 'Indonesia' } },
    ]);
  });

  it('fails on a CSV header that does not name name, city and country', async () => {
    let failure: unknown;
    try {
      await rowsOf('nama,kota,negara\nBudi,Solo,Indonesia\n', 'csv');
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(HeaderError);
  });

  it('fails on a CSV header that names name, city or country more than once, whatever its case or spaces', async () => {
    for (const header of ['name,name,city,country', 'name,city,country, City ']) {
      let failure: unknown;
      try {
        await withFirstRowRead(readListenerRows(Readable.from([`${header}\nA,B,Solo,Indonesia\n`]), 'csv'));
      } catch (error) {
        failure = error;
      }
      expect(failure, header).to.be.instanceOf(HeaderError);
      expect((failure as Error).message).to.match(/^the CSV header names the column (name|city) more than once: it must name each of name, city, country once; found: /);
    }
  });

  it('reads a CSV header that repeats a column other than name, city and country, which is ignored', async () => {
    expect(await rowsOf('notes,name,city,country,notes\nx,Budi,Solo,Indonesia,y\n', 'csv')).to.deep.equal([
      { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
    ]);
  });

  it('fails on a CSV file without a header: empty, or blank lines only', async () => {
    for (const text of ['', '\n\n', '\r\n\r\n']) {
      let failure: unknown;
      try {
        await withFirstRowRead(readListenerRows(Readable.from([text]), 'csv'));
      } catch (error) {
        failure = error;
      }
      expect(failure, JSON.stringify(text)).to.be.instanceOf(HeaderError);
      expect((failure as Error).message).to.include('found: (nothing)');
    }
  });

  it('shows a wrong header cut short, with control and invisible characters escaped', async () => {
    let failure: unknown;
    try {
      await rowsOf(`nama\u0007\u202E,${'x'.repeat(10_000)}\nBudi,Solo,Indonesia\n`, 'csv');
    } catch (error) {
      failure = error;
    }
    const { message } = failure as Error;
    expect(message).to.include('found: nama\\u{7}\\u{202e}, xxx');
    expect(message).to.not.include('\u0007').and.not.include('\u202E');
    expect(message.length).to.be.below(300);
    expect(message.endsWith('x…')).to.equal(true);
  });

  it('withFirstRowRead fails at once on a CSV header that does not name the fields, before any row is taken', async () => {
    let failure: unknown;
    try {
      await withFirstRowRead(readListenerRows(Readable.from(['nama,kota,negara\nBudi,Solo,Indonesia\n']), 'csv'));
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(HeaderError);
  });

  it('withFirstRowRead hands back every row, the first one read included, and nothing for a header alone', async () => {
    const taken: ListenerRow[] = [];
    const rows = await withFirstRowRead(readListenerRows(Readable.from(['name,city,country\nBudi,Solo,Indonesia\nAni\n']), 'csv'));
    for await (const row of rows) taken.push(row);
    expect(taken.map(withoutEnd)).to.deep.equal([
      { line: 2, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 3, problem: 'wrong_column_count' },
    ]);

    const none: ListenerRow[] = [];
    for await (const row of await withFirstRowRead(readListenerRows(Readable.from(['name,city,country\n']), 'csv'))) none.push(row);
    expect(none).to.deep.equal([]);
  });

  it('reads JSON Lines, passing only the profile fields inward and reporting what is not a JSON object', async () => {
    const rows = await rowsOf('{"name":"Budi","city":"Solo","country":"Indonesia","admin":true}\n\n{oops\n42\n{"name":7}', 'jsonl');
    expect(rows).to.deep.equal([
      { line: 1, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 3, problem: 'not_json' },
      { line: 4, problem: 'not_an_object' },
      { line: 5, profile: { name: 7, city: undefined, country: undefined } },
    ]);
  });

  it('reads a JSON Lines file that starts with a byte order mark and ends its lines with CRLF', async () => {
    const rows = await rowsOf('\uFEFF{"name":"Budi","city":"Solo","country":"Indonesia"}\r\n{"name":"Ani","city":"Solo","country":"Indonesia"}\r\n', 'jsonl');
    expect(rows).to.deep.equal([
      { line: 1, profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' } },
      { line: 2, profile: { name: 'Ani', city: 'Solo', country: 'Indonesia' } },
    ]);
  });

  it('reports a JSON line over 64 KiB as too long, keeping the numbers of the lines after it, however the file is read', async () => {
    const long = JSON.stringify({ name: 'x'.repeat(70_000), city: 'Solo', country: 'Indonesia' });
    const text = `{"name":"Budi"}\n${long}\n{"name":"Ani"}\n`;
    const expected = [
      { line: 1, profile: { name: 'Budi', city: undefined, country: undefined } },
      { line: 2, problem: 'too_long' },
      { line: 3, profile: { name: 'Ani', city: undefined, country: undefined } },
    ];
    expect(await rowsOf(text, 'jsonl')).to.deep.equal(expected);
    expect(await rowsOf(text, 'jsonl', 'whole')).to.deep.equal(expected);
  });

  it('tells where each CSV record ends in the file, in bytes, and of a refused record how far it was read', async () => {
    const parts = ['\uFEFFname,city,country\r\n', 'Budi,Solo,Indonesia\r\n', '\r\n"Ani","Kota\nBaru",Indonesia\r\n', 'Sari,"So"lo",x\r\n', 'Joko,Solo,Indonesia'];
    const endOf = (part: number): number => bytes(parts.slice(0, part + 1).join(''));
    for (const read of ['in small chunks', 'whole'] as const) {
      const rows = await rowsWithEnds(parts.join(''), 'csv', read);
      expect(rows.map((row) => row.line)).to.deep.equal([2, 4, 6, 7]);
      expect([rows[0]!.end, rows[1]!.end, rows[3]!.end]).to.deep.equal([endOf(1), endOf(2), endOf(4)]);
      expect(rows[2]!.end).to.be.within(endOf(2), endOf(3));
    }
  });

  it('tells where each JSON line ends in the file, in bytes, a line too long too', async () => {
    const parts = ['{"name":"Budi"}\r\n', '\n', '{oops\n', `"${'x'.repeat(70_000)}"\n`, '{"name":"Ani"}'];
    const endOf = (part: number): number => bytes(parts.slice(0, part + 1).join(''));
    const rows = await rowsWithEnds(parts.join(''), 'jsonl');
    expect(rows.map((row) => [row.line, row.end])).to.deep.equal([
      [1, endOf(0)],
      [3, endOf(2)],
      [4, endOf(3)],
      [5, endOf(4)],
    ]);
  });

  it('tells the format from the extension', () => {
    expect(['a.csv', 'B.CSV', 'c.jsonl', 'd.ndjson', 'e.txt'].map(formatOfFile)).to.deep.equal(['csv', 'csv', 'jsonl', 'jsonl', undefined]);
  });
});
