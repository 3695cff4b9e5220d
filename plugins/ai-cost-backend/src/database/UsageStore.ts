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

/** Filter of a usage query: one entity and an inclusive range of UTC days. */
export interface UsageQuery {
  entityRef: string;
  fromDate: string;
  toDate: string;
}

/** Storage of usage records. */
export interface UsageStore {
  /**
   * Inserts usage records, skipping those whose request key is stored
   * already, and returns how many were new and how many were duplicates.
   */
  insertUsage(rows: UsageRecordRow[]): Promise<{
    inserted: number;
    duplicates: number;
    /** Request keys of the records that were new. */
    insertedKeys: Set<string>;
  }>;

  /** Returns whether any usage record is stored. */
  hasUsage(): Promise<boolean>;

  /** Sums of the query's records per UTC day, ordered by day. */
  sumByDay(query: UsageQuery): Promise<Array<UsageSums & { date: string }>>;

  /** Sums of the query's records per provider and model. */
  sumByModel(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { provider: string; model: string }>>;

  /** First and last UTC day with usage of an entity, over all time. */
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

  /** Replaces the pricing columns of records by id, in one transaction. */
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
  > & { id: number };

/** New pricing columns of one stored record. */
export type RepricedRow = PricingColumns & { id: number };
