// Preloaded into a CLI process (NODE_OPTIONS=--import=…) by a test: importing any of the server's libraries fails,
// so a command that runs to the end under it never loaded them.
import { register } from 'node:module';

const hooks = `
const REFUSED = new Set(['knex', 'koa', 'inversify', 'pg', 'ioredis']);
export const resolve = (specifier, context, nextResolve) => {
  if (REFUSED.has(specifier)) throw new Error('refused by the test: ' + specifier);
  return nextResolve(specifier, context);
};
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
