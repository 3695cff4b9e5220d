import { Knex } from 'knex';
import { compareText } from '../util/compareText';
import { UsageRecordRow } from './tables';

export const HOURLY = 'ai_cost_usage_hourly';

const MILLIS_PER_HOUR = 3_600_000;

/** Columns that identify a rollup bucket, in the unique index's order. */
export const KEY_COLUMNS = [
  'hour_start',
  'entity_ref',
  'provider',
  'model',
  'price_id',
  'unpriced_reason',
  'currency',
] as const;

/** Counters that a bucket adds up; all but cost_pico fit in a double. */
export const COUNT_COLUMNS = [
  'requests',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'unpriced_requests',
  'unpriced_input_tokens',
  'unpriced_output_tokens',
  'batch_requests',
  'semantic_cache_hits',
  'retried_requests',
  'simple_queries',
] as const;

type CountColumn = (typeof COUNT_COLUMNS)[number];

/** Change to one hourly bucket; negative when records leave it. */
export interface RollupDelta extends Record<CountColumn, number> {
  hour_start: number;
  usage_date: string;
  entity_ref: string;
  provider: string;
  model: string;
  price_id: number;
  unpriced_reason: string;
  currency: string;
  cost_pico: bigint;
}

/** Usage and pricing columns of a record that its bucket adds up. */
export type RollupSource = Pick<
  UsageRecordRow,
  | 'occurred_at'
  | 'entity_ref'
  | 'provider'
  | 'model'
  | 'price_id'
  | 'unpriced_reason'
  | 'currency'
  | 'cost_pico'
  | 'input_tokens'
  | 'cached_input_tokens'
  | 'cache_write_tokens'
  | 'cache_write_1h_tokens'
  | 'output_tokens'
  | 'reasoning_tokens'
  | 'service_tier'
  | 'semantic_cache_hit'
  | 'is_retry'
  | 'query_complexity'
>;

/**
 * Adds records to a map of bucket deltas, with `sign` 1 to add them and -1
 * to take them out.
 */
export function addToRollup(
  deltas: Map<string, RollupDelta>,
  record: RollupSource,
  sign: 1 | -1,
): void {
  const hourStart = record.occurred_at - (record.occurred_at % MILLIS_PER_HOUR);
  const key: Omit<RollupDelta, CountColumn | 'cost_pico' | 'usage_date'> = {
    hour_start: hourStart,
    entity_ref: record.entity_ref ?? '',
    provider: record.provider,
    model: record.model,
    price_id: record.price_id ?? 0,
    unpriced_reason: record.unpriced_reason ?? '',
    currency: record.currency ?? '',
  };
  const id = KEY_COLUMNS.map(column => key[column]).join('\u0000');

  let delta = deltas.get(id);
  if (!delta) {
    delta = {
      ...key,
      usage_date: new Date(hourStart).toISOString().slice(0, 10),
      requests: 0,
      input_tokens: 0,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      unpriced_requests: 0,
      unpriced_input_tokens: 0,
      unpriced_output_tokens: 0,
      batch_requests: 0,
      semantic_cache_hits: 0,
      retried_requests: 0,
      simple_queries: 0,
      cost_pico: 0n,
    };
    deltas.set(id, delta);
  }

  const unpriced = record.cost_pico === null;
  delta.requests += sign;
  delta.input_tokens += sign * record.input_tokens;
  delta.cached_input_tokens += sign * record.cached_input_tokens;
  delta.cache_write_tokens +=
    sign * (record.cache_write_tokens + record.cache_write_1h_tokens);
  delta.output_tokens += sign * record.output_tokens;
  delta.reasoning_tokens += sign * record.reasoning_tokens;
  if (unpriced) {
    delta.unpriced_requests += sign;
    delta.unpriced_input_tokens += sign * record.input_tokens;
    delta.unpriced_output_tokens += sign * record.output_tokens;
  } else {
    delta.cost_pico += BigInt(sign) * BigInt(record.cost_pico!);
  }
  if (record.service_tier === 'batch') {
    delta.batch_requests += sign;
  }
  if (record.semantic_cache_hit) {
    delta.semantic_cache_hits += sign;
  }
  if (record.is_retry) {
    delta.retried_requests += sign;
  }
  if (record.query_complexity === 'simple') {
    delta.simple_queries += sign;
  }
}

/**
 * Adds bucket deltas to the rollup table. Buckets are written in key order,
 * so two transactions touching the same buckets on PostgreSQL lock them in
 * the same order. DatabaseUsageStore retries a deadlock that still occurs.
 */
export async function applyRollupDeltas(
  tx: Knex | Knex.Transaction,
  deltas: Map<string, RollupDelta>,
): Promise<void> {
  const rows = sortedRollupRows(deltas).map(delta => ({
    ...delta,
    cost_pico: delta.cost_pico.toString(),
  }));
  if (rows.length === 0) {
    return;
  }

  const merge: Record<string, Knex.Raw> = {};
  for (const column of [...COUNT_COLUMNS, 'cost_pico']) {
    merge[column] = tx.raw('??.?? + excluded.??', [HOURLY, column, column]);
  }

  // About 22 values per row; 400 rows stay below SQLite's variable limit.
  for (let start = 0; start < rows.length; start += 400) {
    await tx(HOURLY)
      .insert(rows.slice(start, start + 400))
      .onConflict([...KEY_COLUMNS])
      .merge(merge);
  }
}

/** Returns bucket deltas in key order, the order in which writers lock them. */
export function sortedRollupRows(
  deltas: Map<string, RollupDelta>,
): RollupDelta[] {
  return [...deltas.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, delta]) => delta);
}
