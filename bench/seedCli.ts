/**
 * Seeds BENCH_ROWS (default 100,000) listeners from a CSV through `livechat seed`, as an operator runs it
 * (a child process, a fresh 2048-bit key, the database of DATABASE_URL, else TEST_DATABASE_URL, else the one
 * `npm run bench` uses), and reports rows per second and the CLI's peak memory. The rows it wrote are deleted
 * afterwards.
 *
 *   npm run bench:seed
 *   DATABASE_URL=postgres://… BENCH_ROWS=10000 npm run bench:seed
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knex from 'knex';
import { newRsaPrivateKeyPem } from '../src/adapters/token/signingKey.js';
import { BENCH_DATABASE_URL } from './localServices.js';

const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const concurrency = process.env.BENCH_CONCURRENCY ?? '8';
const databaseUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? BENCH_DATABASE_URL;
const bin = fileURLToPath(new URL('../bin/livechat.js', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'livechat-bench-'));
const city = `Bench ${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;

const writeCsv = async (file: string): Promise<void> => {
  const out = createWriteStream(file);
  out.write('name,city,country\n');
  for (let row = 0; row < rows; row += 1) {
    if (!out.write(`Pendengar ${row},${city},Indonesia\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
};

/** Peak resident memory of a process so far (Linux), in MiB. */
const peakRssMiB = (pid: number): number | undefined => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
};

const main = async (): Promise<void> => {
  const csv = path.join(work, 'listeners.csv');
  await writeCsv(csv);
  const key = newRsaPrivateKeyPem(2048);

  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'seed', '--file', csv, '--out', path.join(work, 'sessions.jsonl'), '--concurrency', concurrency], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl, JWT_PRIVATE_KEY: key, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRssMiB(child.pid ?? -1) ?? 0);
  }, 250);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`livechat seed exited ${String(code)}:\n${stderr}`);

  const database = knex({ client: 'pg', connection: databaseUrl });
  try {
    const stored = await database('sessions').where({ city }).count<{ count: string }[]>({ count: '*' });
    process.stdout.write(
      `seeded ${rows} rows (${stored[0]?.count ?? '?'} stored) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s ` +
        `(concurrency ${concurrency}, ${cpus().length} CPUs, including process start), peak RSS ${peak.toFixed(0)} MiB\n`,
    );
    await database.raw(
      'with seeded as (delete from sessions where city = ? returning user_id) delete from guests where id in (select user_id from seeded)',
      [city],
    );
  } finally {
    await database.destroy();
  }
};

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
