import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { connectDatabase } from './migrations';
import { UsageRecordRow } from './tables';
import { UsageQuery, UsageStore, UsageSums } from './UsageStore';

const USAGE = 'ai_cost_usage_records';

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

  async insertUsage(
    rows: UsageRecordRow[],
  ): Promise<{ inserted: number; duplicates: number }> {
    let inserted = 0;

    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const result = await this.db(USAGE)
        .insert(chunk)
        .onConflict('request_key')
        .ignore()
        .returning('id');
      inserted += result.length;
    }

    return { inserted, duplicates: rows.length - inserted };
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
