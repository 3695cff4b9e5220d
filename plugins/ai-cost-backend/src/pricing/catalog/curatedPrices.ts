import { PriceInput } from '../priceSheet';

/**
 * The curated default price catalog: list prices of major models, each
 * entry with the page and date it was read from.
 */
export const CURATED_PRICES: PriceInput[] = [];
