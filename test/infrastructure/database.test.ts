import { expect } from 'chai';
import { databaseNamed } from '../../src/infrastructure/database.js';

describe('databaseNamed', () => {
  it('names DATABASE_URL as configured, with its password hidden', () => {
    expect(databaseNamed({ databaseUrl: 'postgres://app:s3cret@db.internal:5432/livechat', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://app:***@db.internal:5432/livechat',
    );
    expect(databaseNamed({ databaseUrl: 'postgres://app@db.internal/livechat?password=s3cret&sslmode=require', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://app@db.internal/livechat?password=***&sslmode=require',
    );
    expect(databaseNamed({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', dataDir: './data' })).to.equal(
      'DATABASE_URL postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('names the embedded database by its folder when no DATABASE_URL is set', () => {
    expect(databaseNamed({ databaseUrl: undefined, dataDir: 'data' })).to.equal('the embedded database in data/pglite');
  });
});
