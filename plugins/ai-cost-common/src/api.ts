/**
 * Token counts and request count of a slice of usage. Input tokens include
 * cached input tokens, as OpenAI and OpenTelemetry GenAI count them.
 *
 * @public
 */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Requests without a price; their cost is unknown, not zero. */
  unpricedRequests: number;
  /** Exact decimal string in the response currency, priced requests only. */
  cost: string;
}

/**
 * Cost and usage of one day of the response's time zone.
 *
 * @public
 */
export interface DailyCost extends UsageTotals {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
}

/**
 * Token volume of the requests without a price, whose cost is unknown.
 *
 * @public
 */
export interface UnpricedVolume {
  /** Input tokens of unpriced requests, cached input tokens included. */
  unpricedInputTokens: number;
  unpricedOutputTokens: number;
}

/**
 * Number of unpriced requests with one reason, such as `no price for model`.
 *
 * @public
 */
export interface UnpricedReasonCount {
  reason: string;
  requests: number;
}

/**
 * A price version that priced requests of a model, as listed by
 * `GET /prices`.
 *
 * @public
 */
export interface PriceVersionUsage {
  /** Id of the price version. */
  id: number;
  /** ISO 8601 UTC instant from which the version applies. */
  effectiveFrom: string;
  /** Page or document the price was read from, such as a vendor page. */
  source: string | null;
  /** `litellm`, `genai-prices`, `catalog`, `config` or `api`. */
  sourceKind: string;
  /** Requests priced with this version. */
  requests: number;
}

/**
 * Cost and usage of one model, with the unpriced volume and the price
 * versions behind the cost.
 *
 * @public
 */
export interface ModelCost extends UsageTotals, UnpricedVolume {
  provider: string;
  model: string;
  /** Unpriced requests per reason, most requests first. */
  unpricedReasons: UnpricedReasonCount[];
  /** Price versions of the priced requests, most requests first. */
  priceVersions: PriceVersionUsage[];
}

/**
 * Response of `GET /entities/:kind/:namespace/:name/cost`.
 *
 * @public
 */
export interface EntityCostResponse {
  entityRef: string;
  /** ISO 4217 code of every amount in the response. */
  currency: string;
  /**
   * IANA time zone of the days in `from`, `to`, `daily` and `monthToDate`;
   * `UTC` unless the request names another.
   */
  timeZone: string;
  /**
   * First and last day of the range, inclusive. Without explicit
   * `from`/`to`, the range is the 90 days up to today, or up to
   * `lastUsageDate` when the entity has no usage in those 90 days.
   */
  from: string;
  to: string;
  /** First and last UTC day with usage, over all time; null without usage. */
  firstUsageDate: string | null;
  lastUsageDate: string | null;
  totals: UsageTotals & UnpricedVolume;
  /** Totals from the first day of the current month to today. */
  monthToDate: UsageTotals & { from: string; to: string };
  daily: DailyCost[];
  byModel: ModelCost[];
}

/**
 * A record that an import rejected, with the reason.
 *
 * @public
 */
export interface RejectedRecord {
  /** 1-based line of a CSV or JSONL body, or 0-based index of a JSON array. */
  record: number;
  field?: string;
  message: string;
}

/**
 * Response of the usage import endpoint.
 *
 * @public
 */
export interface UsageImportResponse {
  accepted: number;
  duplicates: number;
  unpriced: number;
  unallocated: number;
  rejected: RejectedRecord[];
}

/**
 * Number of source records that an import left out, with the reason, such
 * as Langfuse spans or failed LiteLLM requests without tokens.
 *
 * @public
 */
export interface SkippedRecordCount {
  reason: string;
  records: number;
}

/**
 * Response of the usage import endpoint with the records left out, which
 * it lists when the reader skipped any.
 *
 * @public
 */
export interface UsageImportSummary extends UsageImportResponse {
  skipped?: SkippedRecordCount[];
}

/**
 * Response of `POST /billing/focus`, the FOCUS cost export import.
 *
 * @public
 */
export interface FocusImportResponse {
  /** FOCUS version detected from the header columns: 1.0, 1.1 or 1.2. */
  focusVersion: string;
  /** Rows of AI cost stored by this import. */
  accepted: number;
  /** Rows of AI cost stored by an earlier import. */
  duplicates: number;
  /** Valid rows that do not count as AI cost; not stored. */
  skipped: number;
  /** Accepted rows without an entity tag; they lower allocation coverage. */
  unmapped: number;
  /** The first 1,000 rejected rows; `record` is the line the row starts on. */
  rejected: RejectedRecord[];
  /** All rejected rows. */
  rejectedCount: number;
}

/**
 * Estimated and billed cost of one entity in one month and currency.
 * Amounts are exact decimal strings in `currency`.
 *
 * @public
 */
export interface ReconciliationRow {
  entityRef: string;
  /** UTC month, `YYYY-MM`. */
  month: string;
  /** ISO 4217 code; amounts in different currencies are never added. */
  currency: string;
  /** Cost computed from usage records and prices. */
  estimatedCost: string;
  /** Sum of FOCUS BilledCost; credits count negative. */
  billedCost: string;
  /** Billed minus estimated cost. */
  difference: string;
  /** Difference in percent of billed cost, two decimals; null when billed is 0. */
  differencePercentOfBilled: string | null;
}

/**
 * Cost without an entity in one month and currency.
 *
 * @public
 */
export interface UnmappedReconciliationRow {
  month: string;
  currency: string;
  /** Priced usage without an entity. */
  estimatedCost: string;
  /** Billed cost of rows without an entity tag. */
  billedCost: string;
}

/**
 * Portfolio totals of one month and currency.
 *
 * @public
 */
export interface ReconciliationTotal
  extends Omit<ReconciliationRow, 'entityRef'> {
  /** Billed cost of rows mapped to an entity. */
  mappedBilledCost: string;
  unmappedBilledCost: string;
  /** Mapped billed cost in percent of billed cost; null when billed is 0. */
  allocationCoveragePercent: string | null;
}

/**
 * Response of `GET /reconciliation`.
 *
 * @public
 */
export interface ReconciliationResponse {
  /** First and last UTC month, `YYYY-MM`, inclusive. */
  from: string;
  to: string;
  entities: ReconciliationRow[];
  unmapped: UnmappedReconciliationRow[];
  totals: ReconciliationTotal[];
}

/**
 * Response of `GET /entities/:kind/:namespace/:name/reconciliation`.
 *
 * @public
 */
export interface EntityReconciliationResponse {
  entityRef: string;
  from: string;
  to: string;
  months: ReconciliationRow[];
}

/**
 * AI cost of one currency over a range of months, split by whether an
 * entity owns it. Amounts are exact decimal strings in `currency`.
 *
 * @public
 */
export interface AllocationCoverage {
  /** ISO 4217 code; currencies are never added together. */
  currency: string;
  /** Priced usage that matches a catalog entity. */
  allocatedUsageCost: string;
  /** Priced usage that matches no entity. */
  unallocatedUsageCost: string;
  /** FOCUS billed cost whose tags name an entity. */
  mappedBilledCost: string;
  /** FOCUS billed cost without an entity tag. */
  unmappedBilledCost: string;
  /** Allocated in percent of all priced usage, two decimals; null without usage. */
  usageCoveragePercent: string | null;
  /** Mapped in percent of all billed cost, two decimals; null without billing. */
  billingCoveragePercent: string | null;
  /**
   * Allocated usage plus mapped billed cost, in percent of all usage and
   * billed cost; null when both are 0.
   */
  coveragePercent: string | null;
}

/**
 * Response of `GET /allocation`.
 *
 * @public
 */
export interface AllocationResponse {
  /** First and last UTC month, `YYYY-MM`, inclusive. */
  from: string;
  to: string;
  /** Requests that match an entity and requests that match none. */
  allocatedRequests: number;
  unallocatedRequests: number;
  /** Unpriced requests have no cost and are counted only in the requests. */
  currencies: AllocationCoverage[];
}
