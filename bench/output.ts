/** The bench scripts' report goes to stdout, line by line, as it is measured. */
export const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
