// Preloaded into a CLI process (NODE_OPTIONS=--import=…) by a test: every file handle that has been written to
// fails to close with EIO, as a network file system or a failing disk can report data it could not keep only
// then. Files only read close as usual.
import { open } from 'node:fs/promises';
import { devNull } from 'node:os';

const probe = await open(devNull, 'r');
const FileHandle = Object.getPrototypeOf(probe);
await probe.close();

const failing = new WeakSet();
// A file handle's close is its own property (an arrow function), not the prototype's: it is replaced per handle.
const failCloseOf = (handle) => {
  if (failing.has(handle)) return;
  failing.add(handle);
  const close = handle.close;
  // The descriptor is released all the same, as close(2) does when it reports EIO.
  handle.close = () =>
    close().then(() => {
      throw Object.assign(new Error('EIO: i/o error, close'), { code: 'EIO', errno: -5, syscall: 'close' });
    });
};
for (const method of ['write', 'writev', 'writeFile', 'appendFile']) {
  const original = FileHandle[method];
  FileHandle[method] = function (...args) {
    failCloseOf(this);
    return original.apply(this, args);
  };
}
