/**
 * A price version as stored: prices of one token in pico-units (10^-12 of
 * the currency unit), in force from `effectiveFrom` until `effectiveTo`.
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
  inputPicoPerToken: bigint;
  /** Undefined when cached input is billed at the input price. */
  cachedInputPicoPerToken?: bigint;
  outputPicoPerToken: bigint;
}

/** Token counts of one request, OpenAI semantics: cached is inside input. */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** Outcome of pricing one request. */
export type PricingResult =
  | { priced: true; costPico: bigint; currency: string; priceId: number }
  | { priced: false; reason: string };
