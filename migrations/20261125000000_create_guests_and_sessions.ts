import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('guests', (table) => {
    table.uuid('id').primary();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('sessions', (table) => {
    table.uuid('id').primary();
    table.uuid('user_id').notNullable().references('id').inTable('guests').onDelete('CASCADE');
    table.text('user_type').notNullable().defaultTo('guest');
    table.text('name').notNullable();
    table.text('city').notNullable();
    table.text('country').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.index(['user_id'], 'sessions_user_id_idx');
  });
  // The application validates first; these keep a stray writer from storing what the API would refuse.
  await knex.raw(`
    alter table sessions
      add constraint sessions_user_type_check check (user_type in ('guest', 'member')),
      add constraint sessions_name_length_check check (char_length(name) between 1 and 100),
      add constraint sessions_city_length_check check (char_length(city) between 2 and 100),
      add constraint sessions_country_length_check check (char_length(country) between 2 and 100),
      add constraint sessions_expiry_check check (expires_at > started_at)
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('guests');
}
