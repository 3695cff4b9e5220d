import { PriceInput } from '../priceSheet';

/** Formats of vendor price sheets that the loaders read. */
export const PRICE_SOURCE_FORMATS = ['litellm', 'genai-prices'] as const;

/** A vendor price sheet format. */
export type PriceSourceFormat = (typeof PRICE_SOURCE_FORMATS)[number];

/**
 * `effectiveFrom` of a price whose sheet gives no start date. It lies
 * before any usage the plugin prices, so such a price applies to all
 * earlier usage, as genai-prices applies a model's first price to any
 * request that no dated price covers.
 */
export const UNDATED_EFFECTIVE_FROM = '2020-01-01';

/** An entry of a sheet, named by its key or id, and why it was not used. */
export interface SheetEntryNote {
  model: string;
  reason: string;
}

/** Output of a sheet loader. */
export interface LoadedPrices {
  /** Price entries in the price sheet format, one per provider and model. */
  prices: PriceInput[];
  /** Entries not loaded: not a token-priced model, or a duplicate. */
  skipped: SheetEntryNote[];
  /**
   * Number of price figures rounded half-even, to 6 decimals per million
   * tokens or 12 decimals per unit, after normalisation to 12 significant
   * digits.
   */
  rounded: number;
  /** Entries loaded without some of their prices, with the fields left out. */
  partial: SheetEntryNote[];
}
