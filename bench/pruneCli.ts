/**
 * How long `livechat prune` takes over a backlog: in a database of its own beside the one of BENCH_DATABASE_URL (by
 * default the development machines' `test`), it stores BENCH_ROWS (default 1,000,000) sessions, each of a guest of
 * its own, that expired over a year ago, and a tenth as many still kept, then runs `livechat prune --dry-run` and
 * `livechat prune` as an operator would (child processes, NODE_ENV=production), checks that exactly the expired
 * ones and their guests are gone, and reports sessions per second. The database is dropped afterwards.
 *
 *   npm run bench:prune
 *   BENCH_ROWS=100000 npm run bench:prune
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import knex, { type Knex } from 'knex';
import { BENCH_DATABASE_URL } from './localServices.js';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const kept = Math.ceil(rows / 10);
const bin = fileURLToPath(new URL('../bin/livechat.js', import.meta.url));

interface Run {
  readonly seconds: number;
  readonly stdout: string;
}

const livechat = async (databaseUrl: string, args: readonly string[]): Promise<Run> => {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`livechat ${args.join(' ')} exited ${String(code)}:\n${stderr}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout };
};

/** `count` guests, each with one session that expired `daysAgo` days ago, inserted by PostgreSQL itself. */
const storeSessions = (database: Knex, count: number, daysAgo: number): Promise<unknown> =>
  database.raw(
    `with made as (
       insert into guests (id, created_at)
       select gen_random_uuid(), now() - make_interval(days => ? + 1) from generate_series(1, ?)
       returning id
     )
     insert into sessions (id, user_id, name, city, country, started_at, expires_at)
     select gen_random_uuid(), id, 'Pendengar', 'Solo', 'Indonesia',
            now() - make_interval(days => ? + 1), now() - make_interval(days => ?)
     from made`,
    [daysAgo, count, daysAgo, daysAgo],
  );

const counted = async (database: Knex, table: string): Promise<number> =>
  Number((await database(table).count<{ count: string }[]>({ count: '*' }))[0]?.count);

const main = async (): Promise<void> => {
  const name = `livechat_bench_prune_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: BENCH_DATABASE_URL });
  await admin.raw('create database ??', [name]);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.href;
  const database = knex({ client: 'pg', connection: databaseUrl });
  try {
    await livechat(databaseUrl, ['migrate']);
    const filling = process.hrtime.bigint();
    await storeSessions(database, rows, 400);
    await storeSessions(database, kept, 10);
    await database.raw('vacuum analyze sessions, guests');
    const filled = Number(process.hrtime.bigint() - filling) / 1e9;

    const dryRun = await livechat(databaseUrl, ['prune', '--dry-run']);
    const pruned = await livechat(databaseUrl, ['prune']);
    const [sessionsLeft, guestsLeft] = [await counted(database, 'sessions'), await counted(database, 'guests')];
    if (sessionsLeft !== kept || guestsLeft !== kept) {
      throw new Error(`expected ${kept} sessions and guests left, found ${sessionsLeft} and ${guestsLeft}`);
    }
    process.stdout.write(
      `stored ${rows} expired sessions (and ${kept} kept), each with its guest, in ${filled.toFixed(1)} s\n` +
        `prune --dry-run: ${dryRun.seconds.toFixed(1)} s: ${dryRun.stdout}` +
        `prune: ${pruned.seconds.toFixed(1)} s, ${Math.round(rows / pruned.seconds)} sessions/s with their guests ` +
        `(${cpus().length} CPUs, including process start and migration check): ${pruned.stdout}`,
    );
  } finally {
    await database.destroy();
    await admin.raw('drop database if exists ?? with (force)', [name]);
    await admin.destroy();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
