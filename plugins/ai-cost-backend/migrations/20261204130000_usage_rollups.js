// @ts-check

/**
 * Adds the request flags to usage records and creates the hourly rollups
 * that every usage query reads, filled from the records stored so far.
 * Queries per entity no longer read raw records, so their entity index
 * goes, which makes inserts faster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ai_cost_usage_records', table => {
    table.string('operation', 64).nullable();
    table.boolean('semantic_cache_hit').notNullable().defaultTo(false);
    table.string('query_complexity', 16).nullable();
    table.boolean('is_retry').notNullable().defaultTo(false);
    table.dropIndex([], 'ai_cost_usage_entity_date_idx');
  });

  await knex.schema.createTable('ai_cost_usage_hourly', table => {
    table.comment(
      'Usage per UTC hour, entity, provider, model and price version',
    );
    table.bigIncrements('id').primary();
    table
      .bigInteger('hour_start')
      .notNullable()
      .comment('Epoch milliseconds of the UTC hour');
    table.string('usage_date', 10).notNullable().comment('UTC day of the hour');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Empty for records that match no entity');
    table.string('provider', 100).notNullable();
    table.string('model', 255).notNullable();
    table.integer('price_id').notNullable().comment('0 for unpriced records');
    table
      .string('unpriced_reason', 255)
      .notNullable()
      .comment('Empty for priced records');
    table
      .string('currency', 3)
      .notNullable()
      .comment('Empty for unpriced records');
    table.bigInteger('requests').notNullable();
    table.bigInteger('input_tokens').notNullable();
    table.bigInteger('cached_input_tokens').notNullable();
    table.bigInteger('cache_write_tokens').notNullable();
    table.bigInteger('output_tokens').notNullable();
    table.bigInteger('reasoning_tokens').notNullable();
    table.bigInteger('unpriced_requests').notNullable();
    table.bigInteger('unpriced_input_tokens').notNullable();
    table.bigInteger('unpriced_output_tokens').notNullable();
    table
      .bigInteger('cost_pico')
      .notNullable()
      .comment('Cost of the priced requests in 10^-12 of the currency');
    table.bigInteger('batch_requests').notNullable();
    table.bigInteger('semantic_cache_hits').notNullable();
    table.bigInteger('retried_requests').notNullable();
    table.bigInteger('simple_queries').notNullable();
    table.unique(
      [
        'hour_start',
        'entity_ref',
        'provider',
        'model',
        'price_id',
        'unpriced_reason',
        'currency',
      ],
      { indexName: 'ai_cost_usage_hourly_key' },
    );
    table.index(
      ['entity_ref', 'usage_date'],
      'ai_cost_usage_hourly_entity_idx',
    );
    table.index(['usage_date'], 'ai_cost_usage_hourly_date_idx');
  });

  await knex.raw(`
    INSERT INTO ai_cost_usage_hourly (
      hour_start, usage_date, entity_ref, provider, model, price_id,
      unpriced_reason, currency, requests, input_tokens, cached_input_tokens,
      cache_write_tokens, output_tokens, reasoning_tokens, unpriced_requests,
      unpriced_input_tokens, unpriced_output_tokens, cost_pico,
      batch_requests, semantic_cache_hits, retried_requests, simple_queries
    )
    SELECT
      occurred_at - occurred_at % 3600000,
      MIN(usage_date),
      COALESCE(entity_ref, ''),
      provider,
      model,
      COALESCE(price_id, 0),
      COALESCE(unpriced_reason, ''),
      COALESCE(currency, ''),
      COUNT(*),
      SUM(input_tokens),
      SUM(cached_input_tokens),
      SUM(cache_write_tokens + cache_write_1h_tokens),
      SUM(output_tokens),
      SUM(reasoning_tokens),
      SUM(CASE WHEN cost_pico IS NULL THEN 1 ELSE 0 END),
      SUM(CASE WHEN cost_pico IS NULL THEN input_tokens ELSE 0 END),
      SUM(CASE WHEN cost_pico IS NULL THEN output_tokens ELSE 0 END),
      COALESCE(SUM(cost_pico), 0),
      SUM(CASE WHEN service_tier = 'batch' THEN 1 ELSE 0 END),
      0,
      0,
      0
    FROM ai_cost_usage_records
    GROUP BY
      occurred_at - occurred_at % 3600000,
      COALESCE(entity_ref, ''),
      provider,
      model,
      COALESCE(price_id, 0),
      COALESCE(unpriced_reason, ''),
      COALESCE(currency, '')
  `);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_cost_usage_hourly');
  await knex.schema.alterTable('ai_cost_usage_records', table => {
    table.dropColumn('operation');
    table.dropColumn('semantic_cache_hit');
    table.dropColumn('query_complexity');
    table.dropColumn('is_retry');
    table.index(['entity_ref', 'usage_date'], 'ai_cost_usage_entity_date_idx');
  });
};
