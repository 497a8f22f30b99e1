import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { latestMigrationName } from '../../../src/infrastructure/database.js';
import { cliTestEnv, runCli } from '../support/cliProcess.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

/** The CLI run with MIGRATE_ON_START=false against a database whose migrations have not all run. */
describe('livechat seed on a database without this release\'s schema (the CLI in a child process)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-cli-schema-');
  let scratch: ScratchDatabase;

  beforeEach(async () => {
    scratch = await createScratchDatabase('livechat_cli_schema');
  });

  afterEach(async () => {
    await scratch.drop();
  });

  const said = (): string =>
    `livechat seed: DATABASE_URL ${scratch.url} lacks this release's schema (pending migration ${latestMigrationName()}): run \`livechat migrate\`\n`;

  const seed = (args: readonly string[]) =>
    runCli(['seed', ...args], { env: { ...cliTestEnv(path.join(workDir(), 'data')), DATABASE_URL: scratch.url }, cwd: workDir() });

  it('on an empty database, stops with one sentence naming the database and the command to run, and no SQL', async () => {
    const result = await seed(['--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(said());
    expect(result.stdout).to.equal('');
  });

  it('with --file, stops before any row and before --out is opened', async () => {
    const input = path.join(workDir(), 'listeners.csv');
    const out = path.join(workDir(), 'sessions.jsonl');
    writeFileSync(input, 'name,city,country\nBudi,Solo,Indonesia\nSiti,Solo,Indonesia\n');
    const result = await seed(['--file', input, '--out', out]);
    expect(result.code).to.equal(1);
    expect(result.stderr, 'no row reported, no summary').to.equal(said());
    expect(existsSync(out)).to.equal(false);
  });

  it("on a schema an older release left (this release's last migration not applied), says the same", async () => {
    await scratch.database.migrate.latest();
    await scratch.database('knex_migrations').where({ name: latestMigrationName() }).update({ name: '20250101000000_an_older_release.ts' });
    const result = await seed(['--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia']);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(said());
    expect(await scratch.database('sessions').count({ n: '*' }).first()).to.deep.equal({ n: '0' });
  });
});
