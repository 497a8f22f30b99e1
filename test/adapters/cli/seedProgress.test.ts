import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createSeedProgress } from '../../../src/adapters/cli/seedProgress.js';

/** What a terminal would receive: the progress bar draws only on a stream that says it is a TTY. */
const terminal = (): { stream: Writable & { isTTY: boolean }; text: () => string } => {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString('utf8');
        callback();
      },
    }),
    { isTTY: true },
  );
  return { stream, text: () => text };
};

describe('createSeedProgress', () => {
  it('on a terminal, prints a line logged just before the bar stops, above the final bar', () => {
    const screen = terminal();
    const progress = createSeedProgress({ stream: screen.stream, interactive: true, totalBytes: 100 });
    progress.update({ created: 0, failed: 1, bytesDone: 100 });
    progress.log('line 2: {"errors":{"name":["Nama wajib diisi."]}}');
    progress.stop();

    const text = screen.text();
    expect(text).to.include('line 2: {"errors":{"name":["Nama wajib diisi."]}}\n');
    expect(text.lastIndexOf('line 2: ')).to.be.below(text.lastIndexOf('1 failed'));
  });

  it('on a terminal, shows the part of the file done', () => {
    const screen = terminal();
    const progress = createSeedProgress({ stream: screen.stream, interactive: true, totalBytes: 400 });
    progress.update({ created: 2, failed: 1, bytesDone: 100 });
    progress.stop();

    expect(screen.text()).to.include('] 25% | 2 created | 1 failed |');
  });

  it('on a terminal, shows counts alone for an input of no known size (a pipe): no bar, share or time left', () => {
    const screen = terminal();
    const progress = createSeedProgress({ stream: screen.stream, interactive: true, totalBytes: undefined });
    progress.update({ created: 2, failed: 1, bytesDone: 100 });
    progress.stop();

    expect(screen.text()).to.include('seeding | 2 created | 1 failed |');
    expect(screen.text()).not.to.match(/%|left|░|█/);
  });

  it('in a log, says the share of the file done, or only the counts for an input of no known size', async () => {
    const lines = async (totalBytes: number | undefined): Promise<string> => {
      const log = terminal();
      const progress = createSeedProgress({ stream: log.stream, interactive: false, totalBytes, plainIntervalMs: 10 });
      progress.update({ created: 2, failed: 1, bytesDone: 100 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      progress.stop();
      return log.text().split('\n')[0]!;
    };

    expect(await lines(400)).to.match(/^progress: 3 rows \(2 created, 1 failed\), 25% of the file, \d+ rows\/s$/);
    expect(await lines(undefined)).to.match(/^progress: 3 rows \(2 created, 1 failed\), \d+ rows\/s$/);
  });
});
