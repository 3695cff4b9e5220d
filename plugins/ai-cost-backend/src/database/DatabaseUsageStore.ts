import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectDatabase } from './migrations';
import { UsageRecordRow } from './tables';
import {
  PricingSums,
  RepricedRow,
  RepricingFilter,
  RepricingRecord,
  UsageQuery,
  UsageStore,
  UsageSums,
} from './UsageStore';

const USAGE = 'ai_cost_usage_records';
const PRICES = 'ai_cost_prices';

/** Columns of a repricing record; the costs are selected apart, as text. */
const REPRICING_COLUMNS = [
  'id',
  'occurred_at',
  'provider',
  'model',
  'service_tier',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'input_audio_tokens',
  'input_image_tokens',
  'output_tokens',
  'reasoning_tokens',
  'output_audio_tokens',
  'output_image_tokens',
  'web_search_requests',
  'currency',
  'list_currency',
  'price_id',
  'override_id',
  'pricing_note',
  'unpriced_reason',
  'cost_mismatch',
  'provider_cost',
  'provider_cost_currency',
];

/** Rows per insert statement; stays below SQLite's bound-variable limit. */
const INSERT_CHUNK = 500;

/** UsageStore on knex, for SQLite and PostgreSQL. */
export class DatabaseUsageStore implements UsageStore {
  /** Connects to the plugin's database and runs pending migrations. */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseUsageStore> {
    return new DatabaseUsageStore(await connectDatabase(options));
  }

  private constructor(private readonly db: Knex) {}

  async insertUsage(rows: UsageRecordRow[]): Promise<{
    inserted: number;
    duplicates: number;
    insertedKeys: Set<string>;
  }> {
    const insertedKeys = new Set<string>();

    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const result: Array<{ request_key: string }> = await this.db(USAGE)
        .insert(chunk)
        .onConflict('request_key')
        .ignore()
        .returning('request_key');
      for (const row of result) {
        insertedKeys.add(row.request_key);
      }
    }

    return {
      inserted: insertedKeys.size,
      duplicates: rows.length - insertedKeys.size,
      insertedKeys,
    };
  }

  async hasUsage(): Promise<boolean> {
    const row = await this.db(USAGE).first('id');
    return row !== undefined;
  }

  async sumByDay(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { date: string }>> {
    const rows = await this.sums(query, ['usage_date']).orderBy('usage_date');
    return rows.map(row => ({ date: row.usage_date, ...toSums(row) }));
  }

  async sumByModel(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { provider: string; model: string }>> {
    const rows = await this.sums(query, ['provider', 'model']).orderBy([
      'provider',
      'model',
    ]);
    return rows.map(row => ({
      provider: row.provider,
      model: row.model,
      ...toSums(row),
    }));
  }

  async getUsageDateRange(
    entityRef: string,
  ): Promise<{ first: string; last: string } | undefined> {
    const row = await this.db(USAGE)
      .where({ entity_ref: entityRef })
      .min({ first: 'usage_date' })
      .max({ last: 'usage_date' })
      .first();
    return row?.first ? { first: row.first, last: row.last } : undefined;
  }

  /**
   * Builds a grouped sum query. Sums are cast to text so that neither
   * driver rounds them: PostgreSQL returns SUM(bigint) as numeric and
   * SQLite integers beyond 2^53 would lose digits as JavaScript numbers.
   */
  private sums(query: UsageQuery, groupBy: string[]) {
    return this.db(USAGE)
      .select(groupBy)
      .select(
        this.db.raw('COUNT(*) AS requests'),
        this.db.raw('CAST(SUM(input_tokens) AS TEXT) AS input_tokens'),
        this.db.raw(
          'CAST(SUM(cached_input_tokens) AS TEXT) AS cached_input_tokens',
        ),
        this.db.raw('CAST(SUM(output_tokens) AS TEXT) AS output_tokens'),
        this.db.raw(
          'SUM(CASE WHEN cost_pico IS NULL THEN 1 ELSE 0 END) AS unpriced',
        ),
        this.db.raw('CAST(SUM(cost_pico) AS TEXT) AS cost_pico'),
      )
      .where('entity_ref', query.entityRef)
      .whereBetween('usage_date', [query.fromDate, query.toDate])
      .groupBy(groupBy);
  }

  async sumByPricing(query: UsageQuery): Promise<PricingSums[]> {
    const group = [
      'r.provider',
      'r.model',
      'r.price_id',
      'r.unpriced_reason',
      'p.effective_from',
      'p.source',
      'p.source_kind',
    ];
    const rows = await this.db({ r: USAGE })
      .leftJoin({ p: PRICES }, 'p.id', 'r.price_id')
      .select(group)
      .select(
        this.db.raw('COUNT(*) AS requests'),
        this.db.raw(
          'SUM(CASE WHEN r.cost_pico IS NULL THEN 1 ELSE 0 END) AS unpriced',
        ),
        this.db.raw(
          'CAST(SUM(CASE WHEN r.cost_pico IS NULL THEN r.input_tokens ELSE 0 END) AS TEXT) AS unpriced_input_tokens',
        ),
        this.db.raw(
          'CAST(SUM(CASE WHEN r.cost_pico IS NULL THEN r.output_tokens ELSE 0 END) AS TEXT) AS unpriced_output_tokens',
        ),
      )
      .where('r.entity_ref', query.entityRef)
      .whereBetween('r.usage_date', [query.fromDate, query.toDate])
      .groupBy(group)
      .orderBy(['r.provider', 'r.model', 'r.price_id', 'r.unpriced_reason']);

    return rows.map(row => ({
      provider: row.provider,
      model: row.model,
      priceId: row.price_id === null ? null : Number(row.price_id),
      priceEffectiveFrom: row.effective_from ?? null,
      priceSource: row.source ?? null,
      priceSourceKind: row.source_kind ?? null,
      unpricedReason: row.unpriced_reason ?? null,
      requests: Number(row.requests),
      unpricedRequests: Number(row.unpriced ?? 0),
      unpricedInputTokens: Number(row.unpriced_input_tokens ?? 0),
      unpricedOutputTokens: Number(row.unpriced_output_tokens ?? 0),
    }));
  }

  async listRecordsForRepricing(
    filter: RepricingFilter,
    afterId: number,
    limit: number,
  ): Promise<RepricingRecord[]> {
    const query = this.db(USAGE)
      .select(REPRICING_COLUMNS)
      .select(
        // As text, because SQLite returns integers beyond 2^53 rounded.
        this.db.raw('CAST(cost_pico AS TEXT) AS cost_pico'),
        this.db.raw('CAST(list_cost_pico AS TEXT) AS list_cost_pico'),
      )
      .whereBetween('usage_date', [filter.fromDate, filter.toDate])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
    if (filter.entityRef !== undefined) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.provider !== undefined) {
      query.where('provider', filter.provider);
    }
    if (filter.model !== undefined) {
      query.where('model', filter.model);
    }

    const rows: Record<string, unknown>[] = await query;
    return rows.map(toRepricingRecord);
  }

  async updatePricing(rows: RepricedRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }

    await this.db.transaction(async tx => {
      for (const { id, ...columns } of rows) {
        await tx(USAGE).where({ id }).update(columns);
      }
    });
  }
}

function toSums(row: Record<string, unknown>): UsageSums {
  return {
    requests: Number(row.requests),
    inputTokens: Number(row.input_tokens ?? 0),
    cachedInputTokens: Number(row.cached_input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    unpricedRequests: Number(row.unpriced ?? 0),
    costPico: BigInt((row.cost_pico as string | null) ?? 0),
  };
}

/** PostgreSQL returns bigint columns as strings, SQLite as numbers. */
function toRepricingRecord(row: Record<string, unknown>): RepricingRecord {
  const text = (column: string) => (row[column] ?? null) as string | null;
  const count = (column: string) => Number(row[column]);
  const nullableId = (column: string) =>
    row[column] === null ? null : Number(row[column]);

  return {
    id: count('id'),
    occurred_at: count('occurred_at'),
    provider: row.provider as string,
    model: row.model as string,
    service_tier: row.service_tier as string,
    input_tokens: count('input_tokens'),
    cached_input_tokens: count('cached_input_tokens'),
    cache_write_tokens: count('cache_write_tokens'),
    cache_write_1h_tokens: count('cache_write_1h_tokens'),
    input_audio_tokens: count('input_audio_tokens'),
    input_image_tokens: count('input_image_tokens'),
    output_tokens: count('output_tokens'),
    reasoning_tokens: count('reasoning_tokens'),
    output_audio_tokens: count('output_audio_tokens'),
    output_image_tokens: count('output_image_tokens'),
    web_search_requests: count('web_search_requests'),
    cost_pico: text('cost_pico'),
    currency: text('currency'),
    list_cost_pico: text('list_cost_pico'),
    list_currency: text('list_currency'),
    price_id: nullableId('price_id'),
    override_id: nullableId('override_id'),
    pricing_note: text('pricing_note'),
    unpriced_reason: text('unpriced_reason'),
    cost_mismatch: Boolean(row.cost_mismatch),
    provider_cost: text('provider_cost'),
    provider_cost_currency: text('provider_cost_currency'),
  };
}
