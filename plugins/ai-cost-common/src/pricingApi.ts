/**
 * Prices of one service tier as the API returns them: decimal strings per
 * million tokens for token types, per unit for `request` and `webSearch`.
 *
 * @public
 */
export interface PriceScheduleJson {
  rates: Record<string, string>;
  /** Long-context tiers that bill the whole request, by threshold. */
  tiers: Array<{ aboveInputTokens: number; rates: Record<string, string> }>;
}

/**
 * Prices per service tier. `standard` is always present.
 *
 * @public
 */
export type PriceSchedulesJson = Partial<
  Record<'standard' | 'batch' | 'flex' | 'priority', PriceScheduleJson>
>;

/**
 * A negotiated override, as `GET /price-overrides` lists it.
 *
 * @public
 */
export interface PriceOverrideResponse {
  id: number;
  provider: string;
  /** Null for every model of the provider. */
  model: string | null;
  /** ISO 8601 UTC instant, inclusive. */
  effectiveFrom: string;
  /** ISO 8601 UTC instant, exclusive, or null without an end. */
  effectiveTo: string | null;
  /** Decimal percentage off the list price, or null for explicit prices. */
  discountPercent: string | null;
  /** Currency of the explicit prices, or null for a discount. */
  currency: string | null;
  /** Explicit prices, or null for a discount. */
  schedules: PriceSchedulesJson | null;
  /** `config` for overrides from app-config, `api` for the API. */
  sourceKind: 'config' | 'api';
  createdAt: string;
  /** User entity ref or service subject that created the override. */
  createdBy: string;
}

/**
 * A dated exchange rate: from `date` (a UTC day), one unit of `currency`
 * costs `rate` units of the reporting currency.
 *
 * @public
 */
export interface ExchangeRate {
  currency: string;
  date: string;
  /** Exact decimal string, such as `1.0842`. */
  rate: string;
}

/**
 * One entry of the audit log of `GET /audit`.
 *
 * @public
 */
export interface AuditEntryResponse {
  id: number;
  occurredAt: string;
  /** User entity ref, service subject, or `config` for start-up changes. */
  actor: string;
  /** Such as `prices.sync`, `override.create` or `usage.reprice`. */
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/**
 * Body of `POST /reprice`.
 *
 * @public
 */
export interface RepriceRequest {
  /** First and last UTC day of the records to reprice, inclusive. */
  from: string;
  to: string;
  entityRef?: string;
  provider?: string;
  model?: string;
  /** Compute what would change without storing anything. Default: false. */
  dryRun?: boolean;
}

/**
 * Records whose price version changed from one id to another. A null id
 * means unpriced.
 *
 * @public
 */
export interface PriceVersionChange {
  fromPriceId: number | null;
  toPriceId: number | null;
  records: number;
}

/**
 * Response of `POST /reprice`. Amounts are exact decimal strings in
 * `currency` and cover priced records only.
 *
 * @public
 */
export interface RepriceResponse {
  from: string;
  to: string;
  entityRef: string | null;
  provider: string | null;
  model: string | null;
  dryRun: boolean;
  currency: string;
  /** Records in the range and filter. */
  records: number;
  /**
   * Records whose pricing changed: cost, list cost, currency, price
   * version, override, note, unpriced reason or cost mismatch flag.
   */
  changed: number;
  unchangedCount: number;
  costBefore: string;
  costAfter: string;
  /** `costAfter` minus `costBefore`. */
  difference: string;
  unpricedBefore: number;
  unpricedAfter: number;
  /** Changed records per pair of price versions. */
  byPriceVersion: PriceVersionChange[];
}
