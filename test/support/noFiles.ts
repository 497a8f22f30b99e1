/** A file reader for configuration tests that finds no file, as a missing `*_FILE` would. */
export const noFiles = (file: string): string => {
  throw Object.assign(new Error(`no ${file}`), { code: 'ENOENT' });
};
