/** Stands for a line longer than the limit: its text was dropped as it was read. */
export const TOO_LONG = Symbol('line too long');

export interface BoundedLine {
  readonly text: string | typeof TOO_LONG;
  /** How many bytes of the stream this line and those before it take, its \n included. */
  readonly end: number;
}

const NEWLINE = 0x0a;

/**
 * The lines of a UTF-8 stream, without their \n or \r\n, pulled one at a time. A line over `maxBytes` is not
 * held in memory: it comes out as TOO_LONG, so that the run goes on and every later line keeps its number.
 * (split2's maxLength fails the whole stream instead, and its skipOverflow drops the line without a trace,
 * shifting the numbers of the lines after it.)
 */
export async function* boundedLines(input: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<BoundedLine> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let tooLong = false;
  let bytesBefore = 0;
  const hold = (part: Buffer): void => {
    if (tooLong) return;
    heldBytes += part.length;
    tooLong = heldBytes > maxBytes;
    if (tooLong) held = [];
    else held.push(part);
  };
  const take = (end: number): BoundedLine => {
    const text = tooLong ? TOO_LONG : Buffer.concat(held).toString('utf8').replace(/\r$/, '');
    held = [];
    heldBytes = 0;
    tooLong = false;
    return { text, end };
  };

  for await (const chunk of input) {
    // A newline byte never occurs inside a multi-byte UTF-8 character, so bytes can be split before decoding.
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      hold(bytes.subarray(start, end));
      yield take(bytesBefore + end + 1);
      start = end + 1;
    }
    hold(bytes.subarray(start));
    bytesBefore += bytes.length;
  }
  if (heldBytes > 0) yield take(bytesBefore);
}
