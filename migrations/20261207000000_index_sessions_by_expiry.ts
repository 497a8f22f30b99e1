import type { Knex } from 'knex';

// `livechat prune` deletes sessions by expiry, a batch at a time; without this index each batch would read the whole
// table. Built CONCURRENTLY, so that sessions go on being started while it is built, which PostgreSQL cannot do
// inside a transaction.
export const config = { transaction: false };

const INDEX = 'sessions_expires_at_idx';

export async function up(knex: Knex): Promise<void> {
  // A build that was interrupted leaves an invalid index under the name; it is rebuilt rather than kept.
  await knex.raw(`drop index concurrently if exists ${INDEX}`);
  await knex.raw(`create index concurrently ${INDEX} on sessions (expires_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop index concurrently if exists ${INDEX}`);
}
