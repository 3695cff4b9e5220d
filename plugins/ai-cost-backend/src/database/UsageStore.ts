import { UsageRecordRow } from './tables';

/** Sums over a slice of usage records. */
export interface UsageSums {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  unpricedRequests: number;
  /** Sum of priced requests in pico-units. */
  costPico: bigint;
}

/** Adds up usage sums, such as those of the days of a range. */
export function addUsageSums(rows: UsageSums[]): UsageSums {
  const total: UsageSums = {
    requests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    unpricedRequests: 0,
    costPico: 0n,
  };
  for (const row of rows) {
    total.requests += row.requests;
    total.inputTokens += row.inputTokens;
    total.cachedInputTokens += row.cachedInputTokens;
    total.outputTokens += row.outputTokens;
    total.unpricedRequests += row.unpricedRequests;
    total.costPico += row.costPico;
  }
  return total;
}

/**
 * Filter of a usage query: one entity and an inclusive range of days, which
 * are local days of `timeZone` (an IANA name) or UTC days without it.
 */
export interface UsageQuery {
  entityRef: string;
  fromDate: string;
  toDate: string;
  timeZone?: string;
}

/** Cost of one currency over a range, split by whether an entity owns it. */
export interface AllocationSums {
  /** Empty for unpriced requests, which have no cost. */
  currency: string;
  allocatedRequests: number;
  unallocatedRequests: number;
  allocatedCostPico: bigint;
  unallocatedCostPico: bigint;
}

/** Priced cost of one entity, or of unallocated usage, in one UTC month. */
export interface MonthlyEntityCost {
  /** Null for usage that matches no entity. */
  entityRef: string | null;
  /** `YYYY-MM`. */
  month: string;
  currency: string;
  requests: number;
  costPico: bigint;
}

/** Storage of usage records. */
export interface UsageStore {
  /**
   * Inserts usage records, skipping those whose request key is stored
   * already, and adds the new ones to the hourly rollups in the same
   * transaction, so that concurrent writers sharing one database never
   * count a record twice. Returns how many were new and how many were
   * duplicates.
   */
  insertUsage(rows: UsageRecordRow[]): Promise<{
    inserted: number;
    duplicates: number;
    /** Request keys of the records that were new. */
    insertedKeys: Set<string>;
  }>;

  /** Returns whether any usage record is stored. */
  hasUsage(): Promise<boolean>;

  /**
   * Deletes up to `limit` raw records that occurred before an instant and
   * returns how many it deleted. Hourly rollups keep their sums.
   */
  deleteRecordsBefore(instant: number, limit: number): Promise<number>;

  /**
   * Sums of all entities over an inclusive range of UTC days per currency,
   * with the share of records that match no entity.
   */
  sumAllocation(fromDate: string, toDate: string): Promise<AllocationSums[]>;

  /**
   * Priced cost per entity, UTC month and currency over an inclusive range
   * of months (`YYYY-MM`), unallocated usage under a null entity; only
   * `entityRef` when given.
   */
  sumByEntityMonth(
    fromMonth: string,
    toMonth: string,
    entityRef?: string,
  ): Promise<MonthlyEntityCost[]>;

  /** Sums of the query's records per day, ordered by day; empty days left out. */
  sumByDay(query: UsageQuery): Promise<Array<UsageSums & { date: string }>>;

  /** Sums of the query's records per provider and model. */
  sumByModel(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { provider: string; model: string }>>;

  /**
   * First and last UTC day with usage of an entity, over all time, raw
   * records past retention included.
   */
  getUsageDateRange(
    entityRef: string,
  ): Promise<{ first: string; last: string } | undefined>;

  /**
   * Sums of the query's records per provider, model, price version and
   * unpriced reason, with the effective date and source of each version.
   */
  sumByPricing(query: UsageQuery): Promise<PricingSums[]>;

  /**
   * Lists up to `limit` records of a filter with an id above `afterId`, in
   * id order. The last id returned is the next call's `afterId`.
   */
  listRecordsForRepricing(
    filter: RepricingFilter,
    afterId: number,
    limit: number,
  ): Promise<RepricingRecord[]>;

  /**
   * Replaces the pricing columns of records by id and moves their sums to
   * the matching rollup buckets, in one transaction.
   */
  updatePricing(rows: RepricedRow[]): Promise<void>;
}

/** Sums of one provider, model, price version and unpriced reason. */
export interface PricingSums {
  provider: string;
  model: string;
  /** Null for unpriced records. */
  priceId: number | null;
  /** ISO 8601 UTC instant from which the price version applies. */
  priceEffectiveFrom: string | null;
  priceSource: string | null;
  priceSourceKind: string | null;
  /** Null for priced records. */
  unpricedReason: string | null;
  requests: number;
  unpricedRequests: number;
  /** Input tokens of unpriced records, cached input tokens included. */
  unpricedInputTokens: number;
  unpricedOutputTokens: number;
}

/** Records to reprice: an inclusive range of UTC days and optional filters. */
export interface RepricingFilter {
  fromDate: string;
  toDate: string;
  /** Lower-case entity ref, as records store it. */
  entityRef?: string;
  /** Provider and model as the records store them, compared exactly. */
  provider?: string;
  model?: string;
}

/** Columns that pricing a record sets. */
export type PricingColumns = Pick<
  UsageRecordRow,
  | 'cost_pico'
  | 'currency'
  | 'list_cost_pico'
  | 'list_currency'
  | 'price_id'
  | 'override_id'
  | 'pricing_note'
  | 'unpriced_reason'
  | 'cost_mismatch'
>;

/** A stored record with what repricing reads: usage, time and pricing. */
export type RepricingRecord = PricingColumns &
  Pick<
    UsageRecordRow,
    | 'occurred_at'
    | 'provider'
    | 'model'
    | 'service_tier'
    | 'input_tokens'
    | 'cached_input_tokens'
    | 'cache_write_tokens'
    | 'cache_write_1h_tokens'
    | 'input_audio_tokens'
    | 'input_image_tokens'
    | 'output_tokens'
    | 'reasoning_tokens'
    | 'output_audio_tokens'
    | 'output_image_tokens'
    | 'web_search_requests'
    | 'provider_cost'
    | 'provider_cost_currency'
    | 'semantic_cache_hit'
  > & { id: number };

/** New pricing columns of one stored record. */
export type RepricedRow = PricingColumns & { id: number };
