/** Resolves to the error that kept `text` from being written, or undefined once it is. */
export const written = (output: NodeJS.WritableStream, text: string): Promise<unknown> =>
  new Promise((resolve) => {
    output.write(text, (error) => resolve(error ?? undefined));
  });
