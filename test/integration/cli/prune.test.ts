import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import { runCli } from '../support/cliProcess.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratchDatabase.js';
import { sessionRow } from '../support/sessionRows.js';
import { daysBefore } from '../../support/days.js';
import { directoryPerTest } from '../../support/tempDirectory.js';

describe('livechat prune (the CLI in a child process, on a PostgreSQL database of its own)', function () {
  this.timeout(60_000);
  const workDir = directoryPerTest('livechat-prune-');
  let scratch: ScratchDatabase;

  /** A guest with one session that expired `daysAgo` days ago (negative: expires later); the guest's id. */
  const aGuestWhoseSessionExpired = async (daysAgo: number): Promise<string> => {
    const guestId = randomUUID();
    await scratch.database('guests').insert({ id: guestId });
    await scratch.database('sessions').insert(sessionRow(guestId, daysBefore(new Date(), daysAgo)));
    return guestId;
  };

  const guests = async (): Promise<string[]> => (await scratch.database('guests').pluck<string[]>('id')).sort();

  before(async () => {
    scratch = await createScratchDatabase('livechat_cli_prune');
  });

  after(async () => {
    await scratch.drop();
  });

  it('migrates a new database, counts with --dry-run, then deletes what expired before --days; in production it needs no secret', async () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: scratch.url, DATA_DIR: path.join(workDir(), 'data') };
    const empty = await runCli(['prune'], { env, cwd: workDir() });
    expect(empty.code, empty.stderr).to.equal(0);
    expect(empty.stdout).to.match(/^pruned 0 sessions \(expired before \d{4}-\d\d-\d\dT[\d:.]+Z\) and 0 guests left without any\n$/);

    await aGuestWhoseSessionExpired(100);
    await aGuestWhoseSessionExpired(40);
    const kept = [await aGuestWhoseSessionExpired(20), await aGuestWhoseSessionExpired(-1)].sort();

    const counted = await runCli(['prune', '--days', '30', '--dry-run'], { env, cwd: workDir() });
    expect(counted.code, counted.stderr).to.equal(0);
    expect(counted.stdout).to.match(/^would prune 2 sessions \(expired before .+\) and 2 guests left without any; nothing was deleted \(--dry-run\)\n$/);
    expect(await guests()).to.have.length(4);

    const pruned = await runCli(['prune', '--days', '30'], { env, cwd: workDir() });
    expect(pruned.code, pruned.stderr).to.equal(0);
    expect(pruned.stdout).to.match(/^pruned 2 sessions \(expired before .+\) and 2 guests left without any\n$/);
    expect(await guests()).to.deep.equal(kept);
    expect(await scratch.database('sessions').pluck<string[]>('user_id')).to.have.members(kept);
  });

  it('says the database it could not reach, its password masked, and exits 1', async () => {
    const env = { DATABASE_URL: 'postgres://postgres:hush@127.0.0.1:1/livechat', DATA_DIR: path.join(workDir(), 'data') };
    const result = await runCli(['prune'], { env, cwd: workDir() });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('postgres://postgres:***@127.0.0.1:1/livechat').and.not.include('hush');
    expect(result.stdout).to.equal('');
  });
});
