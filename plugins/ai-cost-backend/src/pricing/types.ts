/** Token types with a price of their own, per token. */
export const TOKEN_RATE_KEYS = [
  'input',
  'cachedInput',
  'cacheWrite',
  'cacheWrite1h',
  'inputAudio',
  'inputImage',
  'output',
  'reasoning',
  'outputAudio',
  'outputImage',
] as const;

/** A token type with a price of its own. */
export type TokenRateKey = (typeof TOKEN_RATE_KEYS)[number];

/** Charges per unit that are not tokens: one request, one web search. */
export const UNIT_RATE_KEYS = ['request', 'webSearch'] as const;

/** A charge per unit that is not a token. */
export type UnitRateKey = (typeof UNIT_RATE_KEYS)[number];

/**
 * Prices in pico-units (10^-12 of the currency unit): per token for token
 * types, per unit for requests and web searches. An absent token type is
 * billed at the input or output price it belongs to.
 */
export type Rates = Partial<Record<TokenRateKey | UnitRateKey, bigint>> & {
  input: bigint;
  output: bigint;
};

/**
 * Prices of one service tier. Above `aboveInputTokens` input tokens, the
 * vendor bills the whole request at the tier's rates.
 */
export interface PriceSchedule {
  rates: Rates;
  /** Sorted by threshold, ascending. */
  tiers: Array<{ aboveInputTokens: number; rates: Rates }>;
}

/** Service tiers that vendors price apart. */
export const SERVICE_TIERS = ['standard', 'batch', 'flex', 'priority'] as const;

/** A service tier. */
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/**
 * A price version as stored. Versions are immutable: a changed price is a
 * new version, so a record keeps the prices it was priced with.
 */
export interface PriceVersion {
  id: number;
  provider: string;
  model: string;
  /** Epoch milliseconds, inclusive. */
  effectiveFrom: number;
  /** Epoch milliseconds, exclusive; undefined while in force. */
  effectiveTo?: number;
  currency: string;
  /** Standard prices and, where the vendor has them, other service tiers. */
  schedules: Partial<Record<ServiceTier, PriceSchedule>> & {
    standard: PriceSchedule;
  };
  /**
   * True when the vendor marks the price as dynamic (a negative sentinel
   * in its sheet): requests are unpriced unless they carry a reported cost.
   */
  dynamic?: boolean;
  source?: string;
  /** Where the price came from; decides between equal effectiveFrom. */
  sourceKind?: PriceSourceKind;
}

/**
 * Origins of price versions, from the lowest precedence to the highest:
 * loaded vendor sheets, the curated catalog, app-config, the API.
 */
export const PRICE_SOURCE_KINDS = [
  'litellm',
  'genai-prices',
  'catalog',
  'config',
  'api',
] as const;

/** Origin of a price version. */
export type PriceSourceKind = (typeof PRICE_SOURCE_KINDS)[number];

/**
 * Token counts of one request. Totals follow OpenAI and OpenTelemetry
 * GenAI semantics: `inputTokens` includes cache reads, cache writes, audio
 * and image input; `outputTokens` includes reasoning, audio and image
 * output. The other counts are subsets of those totals.
 */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Cache writes with a 5-minute or unspecified lifetime. */
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  inputAudioTokens?: number;
  inputImageTokens?: number;
  outputTokens: number;
  reasoningTokens?: number;
  outputAudioTokens?: number;
  outputImageTokens?: number;
  webSearchRequests?: number;
  serviceTier?: ServiceTier;
  /**
   * False when the source reported no token counts, such as a streamed
   * call without a usage chunk. The zero counts are then unknown, not free.
   */
  usageReported?: boolean;
}

/** Outcome of pricing one request. */
export type PricingResult =
  | {
      priced: true;
      /** Cost in the reporting currency, after discounts and conversion. */
      costPico: bigint;
      currency: string;
      /** Cost at list price in the price's own currency. */
      listCostPico: bigint;
      listCurrency: string;
      priceId: number;
      /** Id of the negotiated override applied, if any. */
      overrideId?: number;
      /** Reason the price used differs from the one requested, if it does. */
      note?: string;
    }
  | { priced: false; reason: string };
