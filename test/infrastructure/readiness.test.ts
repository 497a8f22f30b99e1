import { expect } from 'chai';
import type { Knex } from 'knex';
import { ServiceReadiness } from '../../src/infrastructure/readiness.js';

/**
 * Enough of knex for the readiness queries: every query answers as a present, migrated schema would, once the
 * test opens the gate; until then each waits, as on a slow database. Counts the queries sent.
 */
const gatedDatabase = () => {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let sent = 0;
  const query = () => {
    const chain = {
      from: () => chain,
      where: () => chain,
      timeout: () => {
        sent += 1;
        return gate.then(() => [{ present: true }]);
      },
    };
    return chain;
  };
  const database = { raw: query, select: query } as unknown as Knex;
  return { database, open: () => open(), sent: () => sent };
};

describe('ServiceReadiness', () => {
  it('lets probes that arrive while a check is under way share it: one check for a burst, however large', async () => {
    const { database, open, sent } = gatedDatabase();
    const readiness = new ServiceReadiness(database, undefined, '20261125000000_create_guests_and_sessions.ts');

    const burst = Promise.all(Array.from({ length: 100 }, () => readiness.check()));
    open();
    const reports = await burst;

    expect(sent(), "the schema check's two queries, once").to.equal(2);
    expect(reports.every((report) => report.ready && report.checks.database === 'up' && report.checks.redis === 'not_configured')).to.equal(true);

    await readiness.check();
    expect(sent(), 'a later probe checks again: one query, the schema being known').to.equal(3);
  });
});
