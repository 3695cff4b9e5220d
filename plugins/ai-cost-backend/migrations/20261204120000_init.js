// @ts-check

/**
 * Creates the price catalog, the negotiated overrides, the exchange rates,
 * the audit log and the usage records.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_cost_prices', table => {
    table.comment(
      'Price versions per provider and model; a changed price is a new row',
    );
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
      .text('schedules')
      .notNullable()
      .comment('JSON: rates per service tier as decimal strings');
    table.boolean('dynamic').notNullable().defaultTo(false);
    table.string('source', 500).nullable();
    table
      .string('source_kind', 30)
      .notNullable()
      .comment('config, catalog, litellm, genai-prices or api');
    table.string('content_hash', 64).notNullable();
    table.string('created_at', 30).notNullable();
    table
      .string('retired_at', 30)
      .nullable()
      .comment('Set when a newer row replaced this one; records keep its id');
    table.index(['provider', 'model'], 'ai_cost_prices_model_idx');
  });

  await knex.schema.createTable('ai_cost_price_overrides', table => {
    table.comment('Negotiated rates set by the platform team');
    table.increments('id').primary();
    table.string('provider', 100).notNullable();
    table.string('model', 255).nullable().comment('Null for every model');
    table.string('effective_from', 30).notNullable();
    table.string('effective_to', 30).nullable();
    table.string('discount_percent', 20).nullable();
    table.string('currency', 3).nullable();
    table.text('schedules').nullable().comment('JSON, as in ai_cost_prices');
    table.string('source_kind', 30).notNullable().comment('config or api');
    table.string('created_at', 30).notNullable();
    table.string('created_by', 255).notNullable();
    table.string('deleted_at', 30).nullable();
  });

  await knex.schema.createTable('ai_cost_exchange_rates', table => {
    table.comment('Units of the reporting currency per unit of a currency');
    table.string('currency', 3).notNullable();
    table.string('date', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('rate', 30).notNullable();
    table.primary(['currency', 'date']);
  });

  await knex.schema.createTable('ai_cost_audit_log', table => {
    table.comment('Changes to prices, overrides, rates and repricing runs');
    table.bigIncrements('id').primary();
    table.string('occurred_at', 30).notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 60).notNullable();
    table.string('subject', 500).notNullable();
    table.text('details').notNullable().comment('JSON');
  });

  await knex.schema.createTable('ai_cost_usage_records', table => {
    table.comment('One priced or unpriced LLM request');
    table.bigIncrements('id').primary();
    table
      .string('request_key', 300)
      .notNullable()
      .unique()
      .comment('Request id; a second record with it is a duplicate');
    table.bigInteger('occurred_at').notNullable().comment('Epoch milliseconds');
    table.string('usage_date', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('entity_ref', 255).nullable();
    table.string('service', 255).nullable();
    table.string('provider', 100).notNullable();
    table.string('model', 255).notNullable();
    table.string('service_tier', 20).notNullable().defaultTo('standard');
    table
      .bigInteger('input_tokens')
      .notNullable()
      .comment('All input tokens, cache reads and writes included');
    table.bigInteger('cached_input_tokens').notNullable();
    table.bigInteger('cache_write_tokens').notNullable().defaultTo(0);
    table.bigInteger('cache_write_1h_tokens').notNullable().defaultTo(0);
    table.bigInteger('input_audio_tokens').notNullable().defaultTo(0);
    table.bigInteger('input_image_tokens').notNullable().defaultTo(0);
    table
      .bigInteger('output_tokens')
      .notNullable()
      .comment('All output tokens, reasoning included');
    table.bigInteger('reasoning_tokens').notNullable().defaultTo(0);
    table.bigInteger('output_audio_tokens').notNullable().defaultTo(0);
    table.bigInteger('output_image_tokens').notNullable().defaultTo(0);
    table.integer('web_search_requests').notNullable().defaultTo(0);
    table
      .bigInteger('cost_pico')
      .nullable()
      .comment('Cost in 10^-12 of the currency unit; null when unpriced');
    table.string('currency', 3).nullable();
    table
      .bigInteger('list_cost_pico')
      .nullable()
      .comment('Cost at list price in list_currency, before overrides');
    table.string('list_currency', 3).nullable();
    table
      .integer('price_id')
      .nullable()
      .references('id')
      .inTable('ai_cost_prices');
    table.integer('override_id').nullable();
    table.string('pricing_note', 255).nullable();
    table.string('unpriced_reason', 255).nullable();
    table
      .string('provider_cost', 40)
      .nullable()
      .comment('Cost the provider reported, exact decimal');
    table.string('provider_cost_currency', 3).nullable();
    table
      .boolean('cost_mismatch')
      .notNullable()
      .defaultTo(false)
      .comment('Computed and reported cost differ beyond the tolerance');
    table.string('task_id', 255).nullable();
    table.string('task_outcome', 20).nullable();
    table.index(['entity_ref', 'usage_date'], 'ai_cost_usage_entity_date_idx');
    table.index(['occurred_at'], 'ai_cost_usage_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_cost_usage_records');
  await knex.schema.dropTable('ai_cost_audit_log');
  await knex.schema.dropTable('ai_cost_exchange_rates');
  await knex.schema.dropTable('ai_cost_price_overrides');
  await knex.schema.dropTable('ai_cost_prices');
};
