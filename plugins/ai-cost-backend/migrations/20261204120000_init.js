// @ts-check

/**
 * Creates the price table and the usage record table.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_cost_prices', table => {
    table.comment('List prices per provider and model, effective-dated');
    table.increments('id').primary();
    table.string('provider', 100).notNullable();
    table.string('model', 255).notNullable();
    table
      .string('effective_from', 30)
      .notNullable()
      .comment('ISO 8601 UTC instant from which the price applies');
    table
      .string('effective_to', 30)
      .nullable()
      .comment('ISO 8601 UTC instant from which the price no longer applies');
    table.string('currency', 3).notNullable();
    table
      .string('input_per_million', 40)
      .notNullable()
      .comment('Exact decimal price of one million uncached input tokens');
    table.string('cached_input_per_million', 40).nullable();
    table.string('output_per_million', 40).notNullable();
    table.string('source', 500).nullable();
    table.unique(['provider', 'model', 'effective_from']);
  });

  await knex.schema.createTable('ai_cost_usage_records', table => {
    table.comment('One priced or unpriced LLM request');
    table.bigIncrements('id').primary();
    table
      .string('request_key', 300)
      .notNullable()
      .unique()
      .comment('Source and request id; a second record with it is a duplicate');
    table.bigInteger('occurred_at').notNullable().comment('Epoch milliseconds');
    table.string('usage_date', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('entity_ref', 255).nullable();
    table.string('service', 255).nullable();
    table.string('provider', 100).notNullable();
    table.string('model', 255).notNullable();
    table.bigInteger('input_tokens').notNullable();
    table.bigInteger('cached_input_tokens').notNullable();
    table.bigInteger('output_tokens').notNullable();
    table
      .bigInteger('cost_pico')
      .nullable()
      .comment('Cost in 10^-12 of the currency unit; null when unpriced');
    table.string('currency', 3).nullable();
    table
      .integer('price_id')
      .nullable()
      .references('id')
      .inTable('ai_cost_prices');
    table.string('unpriced_reason', 255).nullable();
    table.string('task_id', 255).nullable();
    table.string('task_outcome', 20).nullable();
    table.index(['entity_ref', 'usage_date'], 'ai_cost_usage_entity_date_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_cost_usage_records');
  await knex.schema.dropTable('ai_cost_prices');
};
