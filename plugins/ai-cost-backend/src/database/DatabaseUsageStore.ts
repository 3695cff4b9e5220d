import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { localDayBounds, parseTimeZone } from './localDays';
import { connectDatabase } from './migrations';
import {
  SqliteConnection,
  insertUsagePostgres,
  insertUsageSqlite,
} from './usageInsert';
import { UsageRecordRow } from './tables';
import {
  HOURLY,
  RollupDelta,
  RollupSource,
  addToRollup,
  applyRollupDeltas,
} from './usageRollups';
import { compareText } from '../util/compareText';
import {
  AllocationSums,
  MonthlyEntityCost,
  PricingSums,
  RepricedRow,
  RepricingFilter,
  RepricingRecord,
  UsageQuery,
  UsageStore,
  UsageSums,
  addUsageSums,
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
  'semantic_cache_hit',
];

/** Rows per insert statement; stays below SQLite's bound-variable limit. */
const INSERT_CHUNK = 500;

/** Columns of a stored record that its rollup bucket reads. */
const ROLLUP_SOURCE_COLUMNS = [
  'id',
  'occurred_at',
  'entity_ref',
  'provider',
  'model',
  'price_id',
  'unpriced_reason',
  'currency',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
  'service_tier',
  'semantic_cache_hit',
  'is_retry',
  'query_complexity',
];

/**
 * PostgreSQL errors after which a transaction can run again: deadlock and
 * serialization failure.
 */
const RETRYABLE_CODES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

/** UsageStore on knex, for SQLite and PostgreSQL. */
export class DatabaseUsageStore implements UsageStore {
  /** Connects to the plugin's database and runs pending migrations. */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseUsageStore> {
    return new DatabaseUsageStore(await connectDatabase(options));
  }

  private readonly isSqlite: boolean;

  private constructor(private readonly db: Knex) {
    this.isSqlite = db.client.config.client.includes('sqlite');
  }

  async insertUsage(rows: UsageRecordRow[]): Promise<{
    inserted: number;
    duplicates: number;
    insertedKeys: Set<string>;
  }> {
    // Key order makes concurrent transactions on PostgreSQL wait for each
    // other's unique-index entries in the same order, never in a cycle.
    const sorted = [...rows].sort((a, b) =>
      compareText(a.request_key, b.request_key),
    );

    const insertedKeys = this.isSqlite
      ? await this.withSqliteConnection(connection =>
          insertUsageSqlite(connection, sorted),
        )
      : await this.inTransaction(tx => insertUsagePostgres(tx, sorted));

    return {
      inserted: insertedKeys.size,
      duplicates: rows.length - insertedKeys.size,
      insertedKeys,
    };
  }

  /**
   * Runs work on knex's SQLite connection, which is the better-sqlite3
   * database itself. The pool has one connection, so no other query runs
   * until the work returns it.
   */
  private async withSqliteConnection<T>(
    work: (connection: SqliteConnection) => T,
  ): Promise<T> {
    const connection = await this.db.client.acquireConnection();
    try {
      return work(connection);
    } finally {
      await this.db.client.releaseConnection(connection);
    }
  }

  /**
   * Runs a transaction, again after a deadlock or serialization failure,
   * which PostgreSQL resolves by aborting one of the transactions.
   */
  private async inTransaction<T>(
    work: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(work);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE_CODES.has(code)) {
          throw error;
        }
      }
    }
  }

  async hasUsage(): Promise<boolean> {
    const row = await this.db(HOURLY).first('id');
    return row !== undefined;
  }

  async deleteRecordsBefore(instant: number, limit: number): Promise<number> {
    const ids = this.db(USAGE)
      .select('id')
      .where('occurred_at', '<', instant)
      .orderBy('id')
      .limit(limit);
    return await this.db(USAGE).whereIn('id', ids).delete();
  }

  async sumAllocation(
    fromDate: string,
    toDate: string,
  ): Promise<AllocationSums[]> {
    const rows = await this.db(HOURLY)
      .select('currency')
      .select(
        this.db.raw(
          "CAST(SUM(CASE WHEN entity_ref <> '' THEN requests ELSE 0 END) AS TEXT) AS allocated_requests",
        ),
        this.db.raw(
          "CAST(SUM(CASE WHEN entity_ref = '' THEN requests ELSE 0 END) AS TEXT) AS unallocated_requests",
        ),
        this.db.raw(
          "CAST(SUM(CASE WHEN entity_ref <> '' THEN cost_pico ELSE 0 END) AS TEXT) AS allocated_cost",
        ),
        this.db.raw(
          "CAST(SUM(CASE WHEN entity_ref = '' THEN cost_pico ELSE 0 END) AS TEXT) AS unallocated_cost",
        ),
      )
      .whereBetween('usage_date', [fromDate, toDate])
      .groupBy('currency')
      .orderBy('currency');

    return rows.map(row => ({
      currency: row.currency,
      allocatedRequests: Number(row.allocated_requests ?? 0),
      unallocatedRequests: Number(row.unallocated_requests ?? 0),
      allocatedCostPico: BigInt(row.allocated_cost ?? 0),
      unallocatedCostPico: BigInt(row.unallocated_cost ?? 0),
    }));
  }

  async sumByEntityMonth(
    fromMonth: string,
    toMonth: string,
    entityRef?: string,
  ): Promise<MonthlyEntityCost[]> {
    const month = this.db.raw('substr(usage_date, 1, 7)');
    const query = this.db(HOURLY)
      .select('entity_ref', 'currency')
      .select(
        this.db.raw('substr(usage_date, 1, 7) AS month'),
        this.db.raw('CAST(SUM(requests) AS TEXT) AS requests'),
        this.db.raw('CAST(SUM(cost_pico) AS TEXT) AS cost_pico'),
      )
      .whereNot('currency', '')
      .whereBetween('usage_date', [`${fromMonth}-01`, `${toMonth}-31`])
      .groupBy('entity_ref', month, 'currency')
      .orderBy(['entity_ref', 'month', 'currency']);
    if (entityRef !== undefined) {
      query.where('entity_ref', entityRef);
    }

    const rows = await query;
    return rows.map(row => ({
      entityRef: row.entity_ref === '' ? null : row.entity_ref,
      month: row.month,
      currency: row.currency,
      requests: Number(row.requests),
      costPico: BigInt(row.cost_pico ?? 0),
    }));
  }

  async sumByDay(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { date: string }>> {
    const timeZone = parseTimeZone(query.timeZone);
    if (!timeZone) {
      const rows = await this.sums(query, ['usage_date']).orderBy('usage_date');
      return rows.map(row => ({ date: row.usage_date, ...toSums(row) }));
    }

    // Sums per UTC hour, then per local day of each hour's start.
    const { dates, bounds } = localDayBounds(
      query.fromDate,
      query.toDate,
      timeZone,
    );
    const hours = await this.sums(query, ['hour_start']).orderBy('hour_start');
    const days: Array<UsageSums & { date: string }> = [];
    let day = 0;
    for (const row of hours) {
      const hourStart = Number(row.hour_start);
      while (hourStart >= bounds[day + 1]) {
        day += 1;
      }
      const sums = toSums(row);
      const last = days[days.length - 1];
      if (last?.date === dates[day]) {
        days[days.length - 1] = {
          ...addUsageSums([last, sums]),
          date: last.date,
        };
      } else {
        days.push({ date: dates[day], ...sums });
      }
    }
    return days;
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
    const row = await this.db(HOURLY)
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
    const select = this.db(HOURLY)
      .select(groupBy)
      .select(
        this.db.raw('CAST(SUM(requests) AS TEXT) AS requests'),
        this.db.raw('CAST(SUM(input_tokens) AS TEXT) AS input_tokens'),
        this.db.raw(
          'CAST(SUM(cached_input_tokens) AS TEXT) AS cached_input_tokens',
        ),
        this.db.raw('CAST(SUM(output_tokens) AS TEXT) AS output_tokens'),
        this.db.raw('CAST(SUM(unpriced_requests) AS TEXT) AS unpriced'),
        this.db.raw('CAST(SUM(cost_pico) AS TEXT) AS cost_pico'),
      )
      .where('entity_ref', query.entityRef)
      .groupBy(groupBy);
    return this.whereInRange(select, query);
  }

  /**
   * Limits a rollup query to the query's days: UTC days by their date,
   * local days by the UTC hours from the first day's start to the last
   * day's end (see localDayBounds).
   */
  private whereInRange<T extends Knex.QueryBuilder>(
    select: T,
    query: UsageQuery,
    table = HOURLY,
  ): T {
    const timeZone = parseTimeZone(query.timeZone);
    if (!timeZone) {
      return select.whereBetween(`${table}.usage_date`, [
        query.fromDate,
        query.toDate,
      ]) as T;
    }
    const { bounds } = localDayBounds(query.fromDate, query.toDate, timeZone);
    return select
      .where(`${table}.hour_start`, '>=', bounds[0])
      .where(`${table}.hour_start`, '<', bounds[bounds.length - 1]) as T;
  }

  async sumByPricing(query: UsageQuery): Promise<PricingSums[]> {
    const group = [
      `${HOURLY}.provider`,
      `${HOURLY}.model`,
      `${HOURLY}.price_id`,
      `${HOURLY}.unpriced_reason`,
      'p.effective_from',
      'p.source',
      'p.source_kind',
    ];
    const select = this.db(HOURLY)
      .leftJoin({ p: PRICES }, 'p.id', `${HOURLY}.price_id`)
      .select(group)
      .select(
        this.db.raw('CAST(SUM(requests) AS TEXT) AS requests'),
        this.db.raw('CAST(SUM(unpriced_requests) AS TEXT) AS unpriced'),
        this.db.raw(
          'CAST(SUM(unpriced_input_tokens) AS TEXT) AS unpriced_input_tokens',
        ),
        this.db.raw(
          'CAST(SUM(unpriced_output_tokens) AS TEXT) AS unpriced_output_tokens',
        ),
      )
      .where(`${HOURLY}.entity_ref`, query.entityRef)
      .groupBy(group)
      .orderBy([
        `${HOURLY}.provider`,
        `${HOURLY}.model`,
        `${HOURLY}.price_id`,
        `${HOURLY}.unpriced_reason`,
      ]);
    const rows = await this.whereInRange(select, query);

    return rows.map(row => ({
      provider: row.provider,
      model: row.model,
      priceId: Number(row.price_id) === 0 ? null : Number(row.price_id),
      priceEffectiveFrom: row.effective_from ?? null,
      priceSource: row.source ?? null,
      priceSourceKind: row.source_kind ?? null,
      unpricedReason: row.unpriced_reason === '' ? null : row.unpriced_reason,
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

    await this.inTransaction(async tx => {
      const deltas = new Map<string, RollupDelta>();
      const byId = new Map(rows.map(row => [row.id, row]));

      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const ids = rows.slice(start, start + INSERT_CHUNK).map(row => row.id);
        const stored: Record<string, unknown>[] = await tx(USAGE)
          .select(ROLLUP_SOURCE_COLUMNS)
          .select(this.db.raw('CAST(cost_pico AS TEXT) AS cost_pico'))
          .whereIn('id', ids);
        for (const record of stored) {
          const before = toRollupSource(record);
          const repriced = byId.get(Number(record.id))!;
          addToRollup(deltas, before, -1);
          addToRollup(deltas, { ...before, ...repriced }, 1);
        }
      }

      for (const { id, ...columns } of rows) {
        await tx(USAGE).where({ id }).update(columns);
      }
      await applyRollupDeltas(tx, deltas);
      await tx(HOURLY).where('requests', 0).delete();
    });
  }
}

/** Reads a stored record's rollup columns; PostgreSQL returns bigints as text. */
function toRollupSource(row: Record<string, unknown>): RollupSource {
  const text = (column: string) => (row[column] ?? null) as string | null;
  return {
    occurred_at: Number(row.occurred_at),
    entity_ref: text('entity_ref'),
    provider: row.provider as string,
    model: row.model as string,
    price_id: row.price_id === null ? null : Number(row.price_id),
    unpriced_reason: text('unpriced_reason'),
    currency: text('currency'),
    cost_pico: text('cost_pico'),
    input_tokens: Number(row.input_tokens),
    cached_input_tokens: Number(row.cached_input_tokens),
    cache_write_tokens: Number(row.cache_write_tokens),
    cache_write_1h_tokens: Number(row.cache_write_1h_tokens),
    output_tokens: Number(row.output_tokens),
    reasoning_tokens: Number(row.reasoning_tokens),
    service_tier: row.service_tier as string,
    semantic_cache_hit: Boolean(row.semantic_cache_hit),
    is_retry: Boolean(row.is_retry),
    query_complexity: text('query_complexity'),
  };
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
    semantic_cache_hit: Boolean(row.semantic_cache_hit),
  };
}
