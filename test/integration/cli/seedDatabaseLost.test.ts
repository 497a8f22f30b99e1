import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import knex, { type Knex } from 'knex';
import { cliTestEnv, spawnCli } from '../support/cliProcess.js';
import { RedisProxy } from '../support/redisProxy.js';
import { testDatabaseUrl } from '../support/testServices.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

describe('livechat seed --file when the database goes away mid-run', function () {
  this.timeout(60_000);
  let database: Knex;
  const workDir = directoryPerTest('livechat-database-lost-');

  before(() => {
    database = knex({ client: 'pg', connection: testDatabaseUrl() });
  });

  after(async () => {
    await database.destroy();
  });

  it('stops, saying in words that the database became unavailable, its URL masked, and from which line the file was not read', async () => {
    const city = `Kota ${Array.from({ length: 10 }, () => String.fromCharCode(97 + randomInt(26))).join('')}`;
    const file = path.join(workDir(), 'many.csv');
    const rows = 100_000;
    writeFileSync(file, `name,city,country\n${Array.from({ length: rows }, (_, row) => `Pendengar ${row},${city},Indonesia\n`).join('')}`);
    // A plain TCP relay (it relays PostgreSQL as well as Redis), whose stop is the network going away.
    const target = new URL(testDatabaseUrl());
    const proxy = await RedisProxy.start(Number(target.port || 5432));
    const viaProxy = new URL(target);
    viaProxy.host = new URL(proxy.url).host;
    // A trusting server ignores it; one that checks has it in the URL already.
    if (viaProxy.password === '') viaProxy.password = 'secret-in-url';
    const env = { ...cliTestEnv(path.join(workDir(), 'data')), DATABASE_URL: viaProxy.href };

    const cli = spawnCli(['seed', '--file', file, '--lang', 'en'], { env, cwd: workDir() });
    try {
      while (cli.stdout().split('\n').length < 200) {
        if (cli.child.exitCode !== null) throw new Error(`the CLI ended early:\n${cli.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await proxy.stop();
    }
    const code = await cli.exited;

    expect(code, cli.stderr()).to.equal(1);
    const masked = `DATABASE_URL ${viaProxy.href.replace(`:${viaProxy.password}@`, ':***@')}`;
    const said = cli.stderr().split('\n');
    const stop = said.find((line) => line.startsWith('livechat seed: stopped early: '));
    expect(stop).to.include(`livechat seed: stopped early: the database became unavailable (${masked}: `);
    expect(stop, 'the statement is not shown').not.to.include('insert');
    expect(cli.stderr()).not.to.include(viaProxy.password);
    const summary = /: (\d+) created, (\d+) failed \(stopped early: the rest of the file was not read, from line (\d+) on\)$/.exec(said.at(-2) ?? '');
    expect(summary, cli.stderr()).not.to.equal(null);
    const [created, failed, resumeAt] = summary!.slice(1).map(Number) as [number, number, number];
    expect(created + failed, 'every row before the line to resume from is done').to.equal(resumeAt - 2);
    const printed = cli
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { sessionId: string });
    expect(printed).to.have.length(created);
    const stored = new Set(await database('sessions').where({ city }).pluck<string[]>('id'));
    expect(printed.every((session) => stored.has(session.sessionId)), 'every printed session is stored').to.equal(true);
    // A row in flight as the connection went is reported failed, though PostgreSQL may have committed it: its answer
    // was lost on the way. No other row is stored.
    expect(stored.size - printed.length).to.be.within(0, failed);
  });
});
