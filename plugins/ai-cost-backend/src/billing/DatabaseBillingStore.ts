import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectDatabase } from '../database/migrations';
import {
  BilledCostSum,
  BillingStore,
  MonthRange,
  StoredBillingRecord,
} from './BillingStore';

const BILLING = 'ai_cost_billing_records';

/** Rows per insert statement; 31 columns stay below SQLite's 32,766 variables. */
const INSERT_CHUNK = 500;

/** BillingStore on knex, for SQLite and PostgreSQL. */
export class DatabaseBillingStore implements BillingStore {
  /** Connects to the plugin's database and runs pending migrations. */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseBillingStore> {
    return new DatabaseBillingStore(await connectDatabase(options));
  }

  private constructor(private readonly db: Knex) {}

  async insertBillingRecords(
    records: StoredBillingRecord[],
  ): Promise<{ insertedKeys: Set<string> }> {
    const insertedKeys = new Set<string>();

    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK).map(toRow);
      const result: Array<{ row_key: string }> = await this.db(BILLING)
        .insert(chunk)
        .onConflict('row_key')
        .ignore()
        .returning('row_key');
      for (const row of result) {
        insertedKeys.add(row.row_key);
      }
    }
    return { insertedKeys };
  }

  async sumBilledCost(
    range: MonthRange,
    entityRef?: string,
  ): Promise<BilledCostSum[]> {
    const query = this.sums(range);
    if (entityRef !== undefined) {
      query.where('entity_ref', entityRef);
    }
    return (await query).map(toSum);
  }

  async sumUnmappedBilledCost(range: MonthRange): Promise<BilledCostSum[]> {
    return (await this.sums(range).whereNull('entity_ref')).map(toSum);
  }

  /**
   * Sums are cast to text because PostgreSQL returns SUM(bigint) as
   * numeric and SQLite integers beyond 2^53 lose digits as JavaScript
   * numbers. SQLite raises an error when a sum passes 2^63 - 1 pico-units,
   * about 9.2 million currency units; PostgreSQL sums without that limit.
   */
  private sums(range: MonthRange) {
    const group = ['entity_ref', 'usage_month', 'billing_currency'];
    return this.db(BILLING)
      .select(group)
      .select(
        this.db.raw('COUNT(*) AS row_count'),
        this.db.raw('CAST(SUM(billed_cost_pico) AS TEXT) AS billed_cost_pico'),
      )
      .whereBetween('usage_month', [range.fromMonth, range.toMonth])
      .groupBy(group)
      .orderBy(group);
  }
}

function toRow(record: StoredBillingRecord) {
  return {
    row_key: record.rowKey,
    billing_account_id: record.billingAccountId,
    billing_period_start: record.billingPeriodStart,
    billing_period_end: record.billingPeriodEnd,
    charge_period_start: record.chargePeriodStart,
    charge_period_end: record.chargePeriodEnd,
    usage_month: record.usageMonth,
    entity_ref: record.entityRef,
    provider_name: record.providerName,
    publisher_name: record.publisherName,
    service_name: record.serviceName,
    service_category: record.serviceCategory,
    service_subcategory: record.serviceSubcategory,
    charge_category: record.chargeCategory,
    charge_class: record.chargeClass,
    sku_id: record.skuId,
    sku_price_id: record.skuPriceId,
    resource_id: record.resourceId,
    // As decimal strings: both drivers store them exactly in bigint columns.
    billed_cost_pico: record.billedCostPico.toString(),
    effective_cost_pico: record.effectiveCostPico?.toString() ?? null,
    billing_currency: record.billingCurrency,
    consumed_quantity: record.consumedQuantity,
    consumed_unit: record.consumedUnit,
    tokens: record.tokens?.toString() ?? null,
    tags: record.tags,
    focus_version: record.focusVersion,
    source: record.source,
    imported_at: record.importedAt,
  };
}

function toSum(row: Record<string, unknown>): BilledCostSum {
  return {
    entityRef: (row.entity_ref as string | null) ?? null,
    month: row.usage_month as string,
    currency: row.billing_currency as string,
    billedCostPico: BigInt(row.billed_cost_pico as string),
    rows: Number(row.row_count),
  };
}
