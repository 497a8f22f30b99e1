import { expect } from 'chai';
import knex from 'knex';
import { serviceKnexConfig, testDatabaseUrl } from '../support/testServices.js';

describe('the database pool (DATABASE_POOL_MAX)', () => {
  it('never opens more PostgreSQL connections than its maximum, however many queries wait', async () => {
    const database = knex(serviceKnexConfig(testDatabaseUrl(), 2));
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => database.raw<{ rows: { pid: number }[] }>('select pg_backend_pid() as pid, pg_sleep(0.05)')),
      );
      const backends = new Set(results.map((result) => result.rows[0]!.pid));
      expect(results).to.have.length(6);
      expect(backends.size).to.equal(2);
    } finally {
      await database.destroy();
    }
  });
});
