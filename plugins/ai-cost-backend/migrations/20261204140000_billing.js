// @ts-check

/**
 * Creates the billed cost rows imported from FOCUS cost exports.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_cost_billing_records', table => {
    table.comment('One row of AI cost from a FOCUS cost export');
    table.bigIncrements('id').primary();
    table
      .string('row_key', 80)
      .notNullable()
      .unique()
      .comment(
        'sha256 of the row content, a colon and the occurrence of that content in its file',
      );
    table.string('billing_account_id', 255).nullable();
    table
      .bigInteger('billing_period_start')
      .nullable()
      .comment('Epoch milliseconds');
    table.bigInteger('billing_period_end').nullable();
    table
      .bigInteger('charge_period_start')
      .notNullable()
      .comment('Epoch milliseconds');
    table.bigInteger('charge_period_end').notNullable();
    table
      .string('usage_month', 7)
      .notNullable()
      .comment('UTC month of charge_period_start, YYYY-MM');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('From the configured entity tags; null when unmapped');
    table.string('provider_name', 255).nullable();
    table.string('publisher_name', 255).nullable();
    table.string('service_name', 255).notNullable();
    table.string('service_category', 100).nullable();
    table.string('service_subcategory', 100).nullable();
    table.string('charge_category', 20).notNullable();
    table.string('charge_class', 20).nullable();
    table.string('sku_id', 255).nullable();
    table.string('sku_price_id', 255).nullable();
    table.string('resource_id', 1024).nullable();
    table
      .bigInteger('billed_cost_pico')
      .notNullable()
      .comment(
        'BilledCost in 10^-12 of billing_currency; negative for credits',
      );
    table.bigInteger('effective_cost_pico').nullable();
    table.string('billing_currency', 3).notNullable();
    table
      .string('consumed_quantity', 60)
      .nullable()
      .comment('Exact decimal string');
    table.string('consumed_unit', 100).nullable();
    table
      .bigInteger('tokens')
      .nullable()
      .comment('Consumed quantity in tokens when the unit is a token unit');
    table.text('tags').nullable().comment('JSON object');
    table.string('focus_version', 10).notNullable();
    table
      .string('source', 255)
      .notNullable()
      .comment('Import source name of the first import of the row');
    table.bigInteger('imported_at').notNullable().comment('Epoch milliseconds');
    table.index(
      ['entity_ref', 'usage_month'],
      'ai_cost_billing_entity_month_idx',
    );
    table.index(['usage_month'], 'ai_cost_billing_month_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_cost_billing_records');
};
