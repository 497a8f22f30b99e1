import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/freePort.js';

/**
 * `npm run test:postman`: starts the real service on a spare port (against TEST_DATABASE_URL / TEST_REDIS_URL
 * when set, otherwise the embedded database in a throwaway folder), runs the Postman collection against it
 * with newman, stops the service, and exits with newman's status.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLLECTION = path.join(ROOT, 'postman', 'livechat-session.postman_collection.json');

const untilReady = async (baseUrl: string): Promise<void> => {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await setTimeout(250);
  }
  throw new Error(`the service at ${baseUrl} did not become ready`);
};

const run = async (): Promise<number> => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-postman-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    // The default limit (10), over a short window: the collection's 11th session request finds no slot left, so
    // its pacing (wait for the window rather than fail with 429) is exercised too.
    RATE_LIMIT_MAX: '10',
    RATE_LIMIT_WINDOW_MS: '2000',
    LOG_LEVEL: 'warn',
  };
  if (process.env.TEST_DATABASE_URL !== undefined) env.DATABASE_URL = process.env.TEST_DATABASE_URL;
  if (process.env.TEST_REDIS_URL !== undefined) env.REDIS_URL = process.env.TEST_REDIS_URL;

  const service = spawn(process.execPath, ['--import', 'tsx', 'src/infrastructure/main.ts'], { cwd: ROOT, env, stdio: 'inherit' });
  const serviceExited = once(service, 'exit');
  try {
    await untilReady(baseUrl);
    const newman = spawn(
      path.join(ROOT, 'node_modules', '.bin', 'newman'),
      ['run', COLLECTION, '--env-var', `baseUrl=${baseUrl}`, '--color', 'off', '--disable-unicode'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    const [code] = (await once(newman, 'exit')) as [number | null];
    return code ?? 1;
  } finally {
    service.kill('SIGTERM');
    await serviceExited;
    rmSync(dataDir, { recursive: true, force: true });
  }
};

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
