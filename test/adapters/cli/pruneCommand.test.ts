import { expect } from 'chai';
import { SchemaNotCurrent, type CliDependencies } from '../../../src/adapters/cli/cliDependencies.js';
import { runCli } from '../../../src/adapters/cli/program.js';
import { StoreUnavailable } from '../../../src/application/errors.js';
import type { PrunedCounts } from '../../../src/application/ports/sessionPruning.js';
import { PruneSessions } from '../../../src/application/pruneSessions.js';
import { testCliDependencies } from '../../support/cliDependencies.js';
import { daysBefore } from '../../support/days.js';
import { FixedClock, InMemorySessionRepository } from '../../support/fakes.js';

const NOW = new Date('2026-12-07T02:00:00.000Z');
const DATABASE = 'DATABASE_URL postgres://postgres:***@db.internal/livechat';

describe('livechat prune', () => {
  let store: InMemorySessionRepository;
  let closed: number;

  /** A session of a guest of its own, expired `daysAgo` days before now. */
  const expiredDaysAgo = (daysAgo: number, userId = `guest-${daysAgo}`): void => {
    const expiresAt = daysBefore(NOW, daysAgo);
    store.guests.add(userId);
    store.sessions.push({
      id: `session-${store.sessions.length}`,
      userId,
      userType: 'guest',
      profile: { name: 'Budi', city: 'Solo', country: 'Indonesia' },
      startedAt: daysBefore(expiresAt, 1),
      expiresAt,
    });
  };

  const withPruner = (batchSize = 1000, given: Partial<Pick<CliDependencies, 'onStopSignals' | 'pruneProgressIntervalMs'>> = {}) =>
    testCliDependencies({
      openPruner: () =>
        Promise.resolve({
          pruneSessions: new PruneSessions({ pruning: store, clock: new FixedClock(NOW), batchSize }),
          database: DATABASE,
          close: () => {
            closed += 1;
            return Promise.resolve();
          },
        }),
      ...given,
    });

  const prune = (deps: CliDependencies, ...options: string[]): Promise<number> => runCli(['node', 'livechat', 'prune', ...options], deps);

  beforeEach(() => {
    store = new InMemorySessionRepository();
    closed = 0;
  });

  it('deletes what expired more than a year ago by default, says what on stdout, and closes the pool', async () => {
    expiredDaysAgo(400);
    expiredDaysAgo(366);
    expiredDaysAgo(364);
    const { deps, stdout, stderr } = withPruner();

    expect(await prune(deps)).to.equal(0);

    expect(stdout()).to.equal('pruned 2 sessions (expired before 2025-12-07T02:00:00.000Z) and 2 guests left without any\n');
    expect(stderr()).to.equal('');
    expect(store.sessions.map((session) => session.userId)).to.deep.equal(['guest-364']);
    expect(closed).to.equal(1);
  });

  it('keeps as many days as --days says, and says one in the singular', async () => {
    expiredDaysAgo(31);
    expiredDaysAgo(29);
    const { deps, stdout } = withPruner();
    expect(await prune(deps, '--days', '30')).to.equal(0);
    expect(stdout()).to.equal('pruned 1 session (expired before 2026-11-07T02:00:00.000Z) and 1 guest left without any\n');
  });

  it('tells its running totals on stderr as it goes, stdout keeping the result alone', async () => {
    for (let day = 400; day < 405; day += 1) expiredDaysAgo(day);
    const { deps, stdout, stderr } = withPruner(2, { pruneProgressIntervalMs: 0 });
    expect(await prune(deps)).to.equal(0);
    expect(stderr()).to.equal(
      'livechat prune: 2 sessions and 2 guests pruned so far\n' +
        'livechat prune: 4 sessions and 4 guests pruned so far\n' +
        'livechat prune: 5 sessions and 5 guests pruned so far\n',
    );
    expect(stdout()).to.equal('pruned 5 sessions (expired before 2025-12-07T02:00:00.000Z) and 5 guests left without any\n');
  });

  it('with --dry-run counts what would go and deletes nothing', async () => {
    expiredDaysAgo(400, 'returning');
    expiredDaysAgo(10, 'returning');
    expiredDaysAgo(500);
    let listened = false;
    const { deps, stdout } = withPruner(1000, {
      onStopSignals: () => {
        listened = true;
        return () => undefined;
      },
    });
    expect(await prune(deps, '--dry-run')).to.equal(0);
    expect(listened, 'a dry run has nothing to finish: Ctrl-C ends it at once').to.equal(false);
    expect(stdout()).to.equal(
      'would prune 2 sessions (expired before 2025-12-07T02:00:00.000Z) and 1 guest left without any; nothing was deleted (--dry-run)\n',
    );
    expect(store.sessions).to.have.length(3);
  });

  it('refuses a --days that is not a whole number of days from 0 to 36500, before opening the database', async () => {
    for (const days of ['-1', '1.5', 'x', '36501', '']) {
      const { deps, stderr } = withPruner();
      expect(await prune(deps, '--days', days), days).to.equal(1);
      expect(stderr(), days).to.include(`option '--days <n>' argument '${days}' is invalid. a whole number of days from 0 to 36500`);
      expect(closed, 'the pruner was never opened').to.equal(0);
    }
    const { deps } = withPruner();
    expect(await prune(deps, '--days', '0')).to.equal(0);
  });

  it('stops after the batch in flight at Ctrl-C, says what it pruned, and exits 130 (143 for SIGTERM)', async () => {
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      store = new InMemorySessionRepository();
      for (let day = 400; day < 405; day += 1) expiredDaysAgo(day);
      let stop: ((signal: NodeJS.Signals) => void) | undefined;
      let listening = false;
      const { deps, stdout, stderr } = withPruner(2, {
        onStopSignals: (first) => {
          stop = first;
          listening = true;
          return () => {
            listening = false;
          };
        },
      });
      const pruneBatch = store.pruneBatch.bind(store);
      store.pruneBatch = (expiredBefore: Date, limit: number): Promise<PrunedCounts> => {
        stop?.(signal);
        return pruneBatch(expiredBefore, limit);
      };

      expect(await prune(deps), signal).to.equal(code);

      expect(stderr(), signal).to.equal(
        'livechat prune: interrupted: pruned 2 sessions (expired before 2025-12-07T02:00:00.000Z) and 2 guests left without any; ' +
          'run it again to prune the rest\n',
      );
      expect(stdout()).to.equal('');
      expect(store.sessions, 'the batch in flight was finished, and no other begun').to.have.length(3);
      expect(listening, 'still listening: a Ctrl-C that npx passes on late must not end the process before it exits').to.equal(true);
    }
  });

  it('says in words that the database failed, naming it, and what was pruned before, with exit code 1', async () => {
    for (let day = 400; day < 405; day += 1) expiredDaysAgo(day);
    const { deps, stdout, stderr } = withPruner(2);
    const pruneBatch = store.pruneBatch.bind(store);
    store.pruneBatch = async (expiredBefore: Date, limit: number): Promise<PrunedCounts> => {
      if (store.pruneBatches.length === 1) throw new StoreUnavailable({ cause: new Error('Connection terminated unexpectedly') });
      return pruneBatch(expiredBefore, limit);
    };

    expect(await prune(deps)).to.equal(1);

    expect(stderr()).to.equal(
      `livechat prune: stopped early: the database became unavailable (${DATABASE}: Connection terminated unexpectedly); ` +
        '2 sessions and 2 guests pruned before it are gone, run it again to prune the rest\n',
    );
    expect(stdout()).to.equal('');
    expect(closed).to.equal(1);
  });

  it('on a database without this release\'s schema, says so with the command that fixes it', async () => {
    const { deps, stderr } = testCliDependencies({
      openPruner: () => Promise.reject(new SchemaNotCurrent(DATABASE, '20270101000000_next.ts')),
    });
    expect(await prune(deps)).to.equal(1);
    expect(stderr()).to.equal(
      `livechat prune: ${DATABASE} lacks this release's schema (pending migration 20270101000000_next.ts): run \`livechat migrate\`\n`,
    );
  });
});
