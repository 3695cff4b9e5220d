import { Knex } from 'knex';
import { UsageRecordRow } from './tables';
import {
  COUNT_COLUMNS,
  HOURLY,
  KEY_COLUMNS,
  RollupDelta,
  addToRollup,
  applyRollupDeltas,
  sortedRollupRows,
} from './usageRollups';

const USAGE = 'ai_cost_usage_records';

/** PostgreSQL type of a column, for the arrays of an unnest insert. */
type ColumnType = 'text' | 'bigint' | 'integer' | 'boolean';

/**
 * Every column of a usage record row with its PostgreSQL type, in insert
 * order. The record type makes a column added to UsageRecordRow fail to
 * compile until it is listed here.
 */
const USAGE_COLUMN_TYPES: Record<keyof UsageRecordRow, ColumnType> = {
  request_key: 'text',
  occurred_at: 'bigint',
  usage_date: 'text',
  entity_ref: 'text',
  service: 'text',
  provider: 'text',
  model: 'text',
  service_tier: 'text',
  input_tokens: 'bigint',
  cached_input_tokens: 'bigint',
  cache_write_tokens: 'bigint',
  cache_write_1h_tokens: 'bigint',
  input_audio_tokens: 'bigint',
  input_image_tokens: 'bigint',
  output_tokens: 'bigint',
  reasoning_tokens: 'bigint',
  output_audio_tokens: 'bigint',
  output_image_tokens: 'bigint',
  web_search_requests: 'integer',
  cost_pico: 'bigint',
  currency: 'text',
  list_cost_pico: 'bigint',
  list_currency: 'text',
  price_id: 'integer',
  override_id: 'integer',
  pricing_note: 'text',
  unpriced_reason: 'text',
  provider_cost: 'text',
  provider_cost_currency: 'text',
  cost_mismatch: 'boolean',
  task_id: 'text',
  task_outcome: 'text',
  operation: 'text',
  semantic_cache_hit: 'boolean',
  query_complexity: 'text',
  is_retry: 'boolean',
};

const USAGE_COLUMNS = Object.keys(USAGE_COLUMN_TYPES) as Array<
  keyof UsageRecordRow
>;

/** Columns of a rollup bucket, in the order of its upsert statement. */
const BUCKET_COLUMNS = [
  ...KEY_COLUMNS,
  'usage_date',
  ...COUNT_COLUMNS,
  'cost_pico',
] as const;

/** Rows per PostgreSQL statement; the statement has one array per column. */
const POSTGRES_CHUNK = 2_000;

/**
 * Inserts rows, sorted by request key, whose key is not stored yet, and
 * adds them to the hourly rollups, all in the given transaction. Returns
 * the keys it stored.
 *
 * Each column travels as one array parameter of an `unnest`, so the
 * statement has 36 parameters whatever the row count, which PostgreSQL
 * parses far faster than one parameter per value.
 */
export async function insertUsagePostgres(
  tx: Knex.Transaction,
  rows: UsageRecordRow[],
): Promise<Set<string>> {
  const keys = new Set<string>();
  const casts = USAGE_COLUMNS.map(
    column => `?::${USAGE_COLUMN_TYPES[column]}[]`,
  ).join(', ');
  const statement = `INSERT INTO ${USAGE} (${USAGE_COLUMNS.join(
    ', ',
  )}) SELECT * FROM unnest(${casts}) ON CONFLICT (request_key) DO NOTHING RETURNING request_key`;

  for (let start = 0; start < rows.length; start += POSTGRES_CHUNK) {
    const chunk = rows.slice(start, start + POSTGRES_CHUNK);
    const columns = USAGE_COLUMNS.map(column => chunk.map(row => row[column]));
    const result = await tx.raw(statement, columns as Knex.RawBinding[]);
    for (const row of result.rows as Array<{ request_key: string }>) {
      keys.add(row.request_key);
    }
  }

  await applyRollupDeltas(tx, rollupOfInserted(rows, keys));
  return keys;
}

/** Prepared statements of one better-sqlite3 connection. */
interface SqliteStatements {
  insertRecord: SqliteStatement;
  upsertBucket: SqliteStatement;
}

/** The part of a better-sqlite3 statement that this module calls. */
interface SqliteStatement {
  run(...values: unknown[]): { changes: number };
}

/** The part of a better-sqlite3 database that this module calls. */
export interface SqliteConnection {
  prepare(source: string): SqliteStatement;
  transaction<T>(work: () => T): () => T;
}

const sqliteStatements = new WeakMap<SqliteConnection, SqliteStatements>();

/**
 * Inserts rows whose request key is not stored yet and adds them to the
 * hourly rollups in one better-sqlite3 transaction, with statements
 * prepared once per connection. knex prepares every statement again and
 * rewrites its placeholders, which cost more than the inserts themselves.
 * Returns the keys it stored.
 */
export function insertUsageSqlite(
  connection: SqliteConnection,
  rows: UsageRecordRow[],
): Set<string> {
  const statements = prepareSqlite(connection);

  return connection.transaction(() => {
    const keys = new Set<string>();
    const values: unknown[] = new Array(USAGE_COLUMNS.length);
    for (const row of rows) {
      for (let index = 0; index < USAGE_COLUMNS.length; index++) {
        const value = row[USAGE_COLUMNS[index]];
        // better-sqlite3 binds no booleans; SQLite stores them as 0 and 1.
        values[index] = typeof value === 'boolean' ? Number(value) : value;
      }
      if (statements.insertRecord.run(...values).changes === 1) {
        keys.add(row.request_key);
      }
    }

    for (const bucket of sortedRollupRows(rollupOfInserted(rows, keys))) {
      statements.upsertBucket.run(
        ...BUCKET_COLUMNS.map(column => bucket[column]),
      );
    }
    return keys;
  })();
}

function prepareSqlite(connection: SqliteConnection): SqliteStatements {
  let statements = sqliteStatements.get(connection);
  if (!statements) {
    const placeholders = (count: number) =>
      Array.from({ length: count }, () => '?').join(', ');
    const additions = [...COUNT_COLUMNS, 'cost_pico']
      .map(column => `${column} = ${column} + excluded.${column}`)
      .join(', ');
    statements = {
      insertRecord: connection.prepare(
        `INSERT INTO ${USAGE} (${USAGE_COLUMNS.join(
          ', ',
        )}) VALUES (${placeholders(
          USAGE_COLUMNS.length,
        )}) ON CONFLICT (request_key) DO NOTHING`,
      ),
      upsertBucket: connection.prepare(
        `INSERT INTO ${HOURLY} (${BUCKET_COLUMNS.join(
          ', ',
        )}) VALUES (${placeholders(
          BUCKET_COLUMNS.length,
        )}) ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${additions}`,
      ),
    };
    sqliteStatements.set(connection, statements);
  }
  return statements;
}

/** Rollup deltas of the rows whose keys were stored, each key once. */
function rollupOfInserted(
  rows: UsageRecordRow[],
  keys: Set<string>,
): Map<string, RollupDelta> {
  const deltas = new Map<string, RollupDelta>();
  const added = new Set<string>();
  for (const row of rows) {
    if (keys.has(row.request_key) && !added.has(row.request_key)) {
      added.add(row.request_key);
      addToRollup(deltas, row, 1);
    }
  }
  return deltas;
}
