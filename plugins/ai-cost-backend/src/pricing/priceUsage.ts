import { PricingColumns } from '../database/UsageStore';
import { parseDecimalToPico, percentOf } from './money';
import { PriceBook } from './PriceBook';
import { PricingResult, TokenUsage } from './types';

/** A request to price: its usage, model, time and any reported cost. */
export interface UsageToPrice extends TokenUsage {
  provider: string;
  model: string;
  /** Epoch milliseconds. */
  timestamp: number;
  /** Cost that the provider reported, as an exact decimal string. */
  providerCost?: string;
  /** Currency of `providerCost`, USD when absent. */
  providerCostCurrency?: string;
  /** Whether a semantic cache returned the response without a model call. */
  semanticCacheHit?: boolean;
}

/** Pricing note of a request served from a semantic cache. */
export const SEMANTIC_CACHE_NOTE = 'semantic cache hit: no model call';

/** Largest cost a record stores: the 64-bit integer column, in pico-units. */
const MAX_STORED_PICO = 9_223_372_036_854_775_807n;

/**
 * Prices one request as ingestion does and returns the pricing columns of
 * its record, so a record repriced with the prices it was stored with
 * keeps every column.
 *
 * `tolerancePercent` is the largest difference between computed and
 * provider-reported cost, in percent of the reported cost, before the
 * record is flagged with `cost_mismatch`.
 */
export function priceUsage(
  priceBook: PriceBook,
  usage: UsageToPrice,
  tolerancePercent: string = '1',
): PricingColumns {
  if (usage.semanticCacheHit) {
    // The provider was not called, so its prices do not apply; the tokens
    // stay on the record for the cache hit rate.
    return {
      cost_pico: '0',
      currency: priceBook.reportingCurrency,
      list_cost_pico: '0',
      list_currency: priceBook.reportingCurrency,
      price_id: null,
      override_id: null,
      pricing_note: SEMANTIC_CACHE_NOTE,
      unpriced_reason: null,
      cost_mismatch: false,
    };
  }
  const reported = reportedCost(usage, priceBook);
  let pricing = priceWithReported(usage, priceBook, reported);
  if (
    pricing.priced &&
    (pricing.costPico > MAX_STORED_PICO ||
      pricing.listCostPico > MAX_STORED_PICO)
  ) {
    pricing = {
      priced: false,
      reason: 'cost above 9,223,372 per request, the storable maximum',
    };
  }
  const priced = pricing.priced ? pricing : undefined;

  return {
    cost_pico: priced?.costPico.toString() ?? null,
    currency: priced?.currency ?? null,
    list_cost_pico: priced?.listCostPico.toString() ?? null,
    list_currency: priced?.listCurrency ?? null,
    price_id: priced?.priceId ?? null,
    override_id: priced?.overrideId ?? null,
    pricing_note: priced?.note ?? null,
    unpriced_reason: pricing.priced ? null : pricing.reason,
    cost_mismatch:
      priced !== undefined &&
      reported !== undefined &&
      differs(priced.costPico, reported, tolerancePercent),
  };
}

/**
 * Prices a request. A dynamic price takes the provider-reported cost when
 * the request carries one. Without one, the request stays unpriced.
 */
function priceWithReported(
  usage: UsageToPrice,
  priceBook: PriceBook,
  reported: bigint | undefined,
): PricingResult {
  const pricing = priceBook.price(
    usage.provider,
    usage.model,
    usage.timestamp,
    usage,
  );
  if (pricing.priced || pricing.reason !== 'dynamic price') {
    return pricing;
  }
  if (reported === undefined) {
    return pricing;
  }

  const version = priceBook.find(usage.provider, usage.model, usage.timestamp)!;
  return {
    priced: true,
    costPico: reported,
    currency: priceBook.reportingCurrency,
    listCostPico: reported,
    listCurrency: priceBook.reportingCurrency,
    priceId: version.id,
    note: 'dynamic price; provider-reported cost used',
  };
}

/** Converts the reported cost to the reporting currency, if it has a rate. */
function reportedCost(usage: UsageToPrice, priceBook: PriceBook) {
  if (usage.providerCost === undefined) {
    return undefined;
  }
  return priceBook.convert(
    parseDecimalToPico(usage.providerCost),
    usage.providerCostCurrency ?? 'USD',
    usage.timestamp,
  );
}

function differs(
  computed: bigint,
  reported: bigint,
  tolerancePercent: string,
): boolean {
  const tolerance = percentOf(reported, tolerancePercent);
  const difference =
    computed > reported ? computed - reported : reported - computed;
  return difference > tolerance;
}
