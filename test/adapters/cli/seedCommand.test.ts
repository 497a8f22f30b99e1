import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SchemaNotCurrent } from '../../../src/adapters/cli/cliDependencies.js';
import { runCli } from '../../../src/adapters/cli/program.js';
import { testCliDependencies } from '../../support/cliDependencies.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

/** A CLI whose database lacks this release's schema, as the composition root reports it. */
const onSchemaBehind = () =>
  testCliDependencies({
    openSeeder: () => Promise.reject(new SchemaNotCurrent('DATABASE_URL postgres://db.internal/livechat', '20270101000000_next.ts')),
  });

const SAID =
  "livechat seed: DATABASE_URL postgres://db.internal/livechat lacks this release's schema (pending migration 20270101000000_next.ts): " +
  'run `livechat migrate`\n';

describe('livechat seed on a database without this release\'s schema', () => {
  const workDir = directoryPerTest('livechat-seed-schema-');

  it('says so in one sentence, with the command that fixes it, and exits 1', async () => {
    const { deps, stdout, stderr } = onSchemaBehind();
    const code = await runCli(['node', 'livechat', 'seed', '--name', 'Budi', '--city', 'Solo', '--country', 'Indonesia'], deps);
    expect(code).to.equal(1);
    expect(stderr()).to.equal(SAID);
    expect(stdout()).to.equal('');
  });

  it('with --file, stops before --out is opened, so an earlier run\'s sessions stay where they are', async () => {
    const input = path.join(workDir(), 'listeners.csv');
    const out = path.join(workDir(), 'sessions.jsonl');
    writeFileSync(input, 'name,city,country\nBudi,Solo,Indonesia\n');
    const { deps, stderr } = onSchemaBehind();
    const code = await runCli(['node', 'livechat', 'seed', '--file', input, '--out', out], deps);
    expect(code).to.equal(1);
    expect(stderr()).to.equal(SAID);
    expect(existsSync(out)).to.equal(false);
  });
});
