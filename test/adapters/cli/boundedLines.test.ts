import { Readable } from 'node:stream';
import { expect } from 'chai';
import { boundedLines, type BoundedLine, TOO_LONG } from '../../../src/adapters/cli/boundedLines.js';

const readAll = async (chunks: readonly (Buffer | string)[], maxBytes: number): Promise<BoundedLine[]> => {
  const lines: BoundedLine[] = [];
  for await (const line of boundedLines(Readable.from(chunks), maxBytes)) lines.push(line);
  return lines;
};

const linesOf = async (chunks: readonly (Buffer | string)[], maxBytes: number): Promise<(string | typeof TOO_LONG)[]> =>
  (await readAll(chunks, maxBytes)).map((line) => line.text);

describe('boundedLines', () => {
  it('splits at \\n and \\r\\n across chunks, keeps blank lines, and ends with a last line without a newline', async () => {
    expect(await linesOf(['ab', 'c\r', '\n\nd', 'e\nf'], 10)).to.deep.equal(['abc', '', 'de', 'f']);
    expect(await linesOf(['a\n'], 10)).to.deep.equal(['a']);
  });

  it('decodes a character whose UTF-8 bytes are split between chunks', async () => {
    const bytes = Buffer.from('Nguyễn\n');
    expect(await linesOf([bytes.subarray(0, 5), bytes.subarray(5)], 100)).to.deep.equal(['Nguyễn']);
  });

  it('gives TOO_LONG for each line over the limit, whole in one chunk or spread over several, and goes on after it', async () => {
    expect(await linesOf(['12345\n123456\nok\n', '1234', '567\nok\n', '12345678'], 5)).to.deep.equal([
      '12345',
      TOO_LONG,
      'ok',
      TOO_LONG,
      'ok',
      TOO_LONG,
    ]);
  });

  it('tells where each line ends in the stream, in bytes, its line end included, a line too long too', async () => {
    const lines = await readAll(['ab', 'c\r', '\n\nNguy', 'ễn\n1234567', '89\nf'], 5);
    expect(lines.map((line) => line.end)).to.deep.equal([5, 6, 15, 25, 26]);
    expect(lines.map((line) => line.text)).to.deep.equal(['abc', '', TOO_LONG, TOO_LONG, 'f']);
  });
});
