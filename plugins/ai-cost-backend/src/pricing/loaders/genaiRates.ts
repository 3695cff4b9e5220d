import { RatesInput, TierInput } from '../priceSheet';
import { TokenRateKey, UnitRateKey } from '../types';
import { toSheetDecimal } from './decimal';
import { UNDATED_EFFECTIVE_FROM } from './types';

/** genai-prices keys in dollars per million tokens and the rates they set. */
const MTOK_KEYS: ReadonlyArray<[string, TokenRateKey]> = [
  ['input_mtok', 'input'],
  ['cache_read_mtok', 'cachedInput'],
  ['cache_write_mtok', 'cacheWrite'],
  ['cache_write_1h_mtok', 'cacheWrite1h'],
  ['input_audio_mtok', 'inputAudio'],
  ['input_image_mtok', 'inputImage'],
  ['output_mtok', 'output'],
  ['output_reasoning_mtok', 'reasoning'],
  ['output_audio_mtok', 'outputAudio'],
  ['output_image_mtok', 'outputImage'],
];

/**
 * A 5-minute cache-write price sets `cacheWrite` when the model has no
 * `cache_write_mtok`, the price of writes with unspecified lifetime.
 */
const CACHE_WRITE_5M_KEY = 'cache_write_5m_mtok';

/** genai-prices keys in dollars per thousand units and the rates they set. */
const KCOUNT_KEYS: ReadonlyArray<[string, UnitRateKey]> = [
  ['requests_kcount', 'request'],
  ['web_searches_kcount', 'webSearch'],
];

/** Counter of figures rounded while reading one model. */
export interface RoundingCounter {
  rounded: number;
}

/** A price object of one start date, before conversion. */
export interface DatedPrices {
  effectiveFrom: string;
  prices: Record<string, unknown>;
}

/** Rates of one price object, with the keys that had no rate. */
export type ReadRates =
  | { rates: RatesInput & { tiers?: TierInput[] }; unused: string[] }
  | { reason: string };

/**
 * Splits a model's `prices` into prices per start date.
 *
 * The v2 schema (`ConditionalPrice` in data.schema.json) tries a list of
 * conditional prices last to first and uses the first entry when no
 * constraint matches. So the first entry applies from
 * UNDATED_EFFECTIVE_FROM whatever its constraint, and each later entry
 * from its `start_date`. Of two entries with the same start, the later
 * wins. Prices that depend on the time of day return a reason: the
 * unconstrained price of such a model is the off-peak one, and pricing
 * every request at it would understate the cost.
 */
export function datedPrices(
  prices: unknown,
): { list: DatedPrices[] } | { reason: string } {
  if (isObject(prices)) {
    return { list: [{ effectiveFrom: UNDATED_EFFECTIVE_FROM, prices }] };
  }
  if (!Array.isArray(prices) || prices.length === 0) {
    return { reason: 'no prices' };
  }

  const byStart = new Map<string, DatedPrices>();
  for (const [index, entry] of prices.entries()) {
    if (!isObject(entry) || !isObject(entry.prices)) {
      return { reason: `conditional price ${index + 1} has no prices` };
    }

    const constraint = entry.constraint;
    if (isObject(constraint) && 'start_time' in constraint) {
      return {
        reason:
          'prices depend on the time of day (off-peak prices), which the engine does not support',
      };
    }
    const startDate =
      isObject(constraint) && typeof constraint.start_date === 'string'
        ? constraint.start_date
        : undefined;
    if (constraint !== undefined && startDate === undefined) {
      return {
        reason: `conditional price ${
          index + 1
        } has a constraint other than start_date: ${JSON.stringify(
          constraint,
        )}`,
      };
    }

    const effectiveFrom =
      index === 0 || startDate === undefined
        ? UNDATED_EFFECTIVE_FROM
        : startDate;
    byStart.set(effectiveFrom, { effectiveFrom, prices: entry.prices });
  }
  return { list: [...byStart.values()] };
}

/**
 * Converts one genai-prices price object to rates with tiers.
 *
 * A tiered price `{base, tiers: [{start, price}]}` follows the
 * `TieredPrices` definition of data.schema.json: once a request's input
 * tokens cross a tier's `start`, every token of that type is billed at the
 * tier's price. The schema's example leaves exactly `start` tokens open.
 * genai-prices' engine (`calcTieredPrice` in packages/js/src/engine.ts at
 * commit 47df840) applies a tier when the request's `input_tokens`, cache
 * reads and writes included, is greater than `start`. That is TierInput's
 * `aboveInputTokens`, so `start` maps to it unchanged. As every key's tier
 * follows the same input count, the keys' tiers combine into one tier per
 * distinct start.
 */
export function readRates(
  prices: Record<string, unknown>,
  counter: RoundingCounter,
): ReadRates {
  if (prices.input_mtok === undefined) {
    return { reason: 'no input_mtok: not priced per input token' };
  }
  if (prices.output_mtok === undefined) {
    return { reason: 'no output_mtok: not priced per output token' };
  }

  const rates: RatesInput = {};
  const tiers = new Map<number, TierInput>();
  const known = new Set<string>([CACHE_WRITE_5M_KEY]);
  const unused: string[] = [];

  for (const [key, rate] of MTOK_KEYS) {
    known.add(key);
    const price = readPrice(prices[key], 0, 6, counter);
    if (price === undefined) {
      continue;
    }
    if ('reason' in price) {
      return { reason: `${key}: ${price.reason}` };
    }
    rates[rate] = price.base;
    for (const tier of price.tiers) {
      const entry = tiers.get(tier.start) ?? { aboveInputTokens: tier.start };
      entry[rate] = tier.price;
      tiers.set(tier.start, entry);
    }
  }

  const write5m = readPrice(prices[CACHE_WRITE_5M_KEY], 0, 6, counter);
  if (write5m && 'base' in write5m && rates.cacheWrite === undefined) {
    rates.cacheWrite = write5m.base;
  } else if (write5m) {
    unused.push(CACHE_WRITE_5M_KEY);
  }

  for (const [key, rate] of KCOUNT_KEYS) {
    known.add(key);
    const price = readPrice(prices[key], -3, 12, counter);
    if (price === undefined) {
      continue;
    }
    if ('reason' in price || price.tiers.length > 0) {
      unused.push(key);
      continue;
    }
    rates[rate] = price.base;
  }

  unused.push(...Object.keys(prices).filter(key => !known.has(key)));

  fillTierGaps(tiers);
  const sortedTiers = [...tiers.values()].sort(
    (a, b) => a.aboveInputTokens - b.aboveInputTokens,
  );
  return {
    rates: sortedTiers.length > 0 ? { ...rates, tiers: sortedTiers } : rates,
    unused,
  };
}

/**
 * Gives each tier the price of every key that has a tier at a lower start
 * but none at its own. Keys without tiers are left to the base rates,
 * which a TierInput inherits.
 */
function fillTierGaps(tiers: Map<number, TierInput>) {
  const starts = [...tiers.keys()].sort((a, b) => a - b);
  const current: Partial<Record<TokenRateKey, string>> = {};

  for (const start of starts) {
    const tier = tiers.get(start)!;
    for (const [, rate] of MTOK_KEYS) {
      if (tier[rate] !== undefined) {
        current[rate] = tier[rate];
      } else if (current[rate] !== undefined) {
        tier[rate] = current[rate];
      }
    }
  }
}

type ReadPrice =
  | { base: string; tiers: Array<{ start: number; price: string }> }
  | { reason: string };

/** Reads a number or a tiered price, scaled by 10^shift. */
function readPrice(
  value: unknown,
  shift: number,
  maxDecimals: number,
  counter: RoundingCounter,
): ReadPrice | undefined {
  if (value === undefined) {
    return undefined;
  }

  const convert = (number: unknown): string | undefined => {
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
      return undefined;
    }
    const decimal = toSheetDecimal(number, shift, maxDecimals);
    if (decimal.rounded) {
      counter.rounded += 1;
    }
    return decimal.text;
  };

  if (!isObject(value)) {
    const base = convert(value);
    return base === undefined
      ? { reason: `${JSON.stringify(value)} is not a non-negative number` }
      : { base, tiers: [] };
  }

  const base = convert(value.base);
  if (base === undefined || !Array.isArray(value.tiers)) {
    return { reason: `invalid tiered price ${JSON.stringify(value)}` };
  }
  const tiers: Array<{ start: number; price: string }> = [];
  for (const tier of value.tiers) {
    const price = isObject(tier) ? convert(tier.price) : undefined;
    const start = isObject(tier) ? tier.start : undefined;
    if (
      price === undefined ||
      typeof start !== 'number' ||
      !Number.isSafeInteger(start) ||
      start < 0
    ) {
      return { reason: `invalid tier ${JSON.stringify(tier)}` };
    }
    tiers.push({ start, price });
  }
  return { base, tiers };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
