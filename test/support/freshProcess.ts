import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { PROJECT_ROOT } from './projectRoot.js';

/**
 * Runs an ES module script in a new Node process (through tsx, from the project's root), for what the test
 * process itself may already have loaded or set.
 */
export const runInFreshProcess = (script: string): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, freshProcessArguments(script), { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000 });

/** Node's arguments that run an ES module script through tsx, for a test that spawns the process its own way. */
export const freshProcessArguments = (script: string): string[] => ['--import', 'tsx', '--input-type=module', '-e', script];

/** Script lines defining `loaded(name)`: whether a CommonJS file whose path holds `name` has been loaded yet. */
export const LOADED_CHECK = `import { createRequire } from 'node:module';
const loaded = (name) => Object.keys(createRequire(process.cwd() + '/').cache).some((file) => file.includes(name));`;
