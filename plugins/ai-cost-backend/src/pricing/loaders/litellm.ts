import { InputError } from '@backstage/errors';
import { normalizeProvider } from '../modelNames';
import {
  PriceInput,
  RatesInput,
  ScheduleInput,
  TierInput,
} from '../priceSheet';
import { TokenRateKey } from '../types';
import { toSheetDecimal } from './decimal';
import { LoadedPrices, UNDATED_EFFECTIVE_FROM } from './types';

/** LiteLLM per-token price fields and the rates they set. */
const TOKEN_FIELDS: ReadonlyArray<[string, TokenRateKey]> = [
  ['input_cost_per_token', 'input'],
  ['cache_read_input_token_cost', 'cachedInput'],
  ['cache_creation_input_token_cost', 'cacheWrite'],
  ['cache_creation_input_token_cost_above_1hr', 'cacheWrite1h'],
  ['input_cost_per_audio_token', 'inputAudio'],
  ['input_cost_per_image_token', 'inputImage'],
  ['output_cost_per_token', 'output'],
  ['output_cost_per_reasoning_token', 'reasoning'],
  ['output_cost_per_audio_token', 'outputAudio'],
  ['output_cost_per_image_token', 'outputImage'],
];

/**
 * DeepSeek entries name their cache-read price this way; it sets
 * `cachedInput` when `cache_read_input_token_cost` is absent.
 */
const CACHE_HIT_FIELD = 'input_cost_per_token_cache_hit';

/** Per-unit fields: dollars per request and per web search. */
const REQUEST_FIELD = 'input_cost_per_request';
const WEB_SEARCH_FIELD = 'search_context_cost_per_query';

/**
 * Field suffixes of LiteLLM service tiers. LiteLLM reads a `_flex` or
 * `_priority` field and falls back to the standard field when it is
 * absent, so those schedules start from the standard rates.
 */
const SERVICE_TIER_SUFFIXES = [
  ['flex', '_flex'],
  ['priority', '_priority'],
] as const;

const TIER_INPUT_FIELD = /^input_cost_per_token_above_(\d+)(k?)_tokens$/;

/**
 * Providers whose long-context threshold LiteLLM applies from the
 * threshold itself (`>=`) instead of above it (`>`), per
 * `_INCLUSIVE_THRESHOLD_PROVIDERS` in LiteLLM's
 * `litellm_core_utils/llm_cost_calc/utils.py` (read at commit 001b531).
 */
const INCLUSIVE_THRESHOLD_PROVIDERS = new Set(['xai']);

/**
 * LiteLLM provider names that name a route or a model family of one
 * provider, mapped to the provider id of the price catalog.
 */
const LITELLM_PROVIDERS: Record<string, string> = {
  bedrock_converse: 'bedrock',
  azure_text: 'azure',
  'text-completion-openai': 'openai',
  'text-completion-codestral': 'codestral',
  cohere_chat: 'cohere',
};

/** Top-level keys of the sheet that are not model entries. */
const NON_MODEL_KEYS: Record<string, string> = {
  sample_spec: 'LiteLLM field documentation, not a model',
  fallback_generalizations: 'LiteLLM name-matching rules, not a model',
  last_updated: 'date written by the mirror that copied the sheet',
};

/** Counter of the figures rounded in one entry. */
interface LoadState {
  rounded: number;
}

/**
 * Reads LiteLLM's `model_prices_and_context_window.json` into price sheet
 * entries. Prices per token become prices per million tokens; see
 * toSheetDecimal for how float artefacts are removed and when a figure is
 * rounded.
 *
 * An entry without both `input_cost_per_token` and `output_cost_per_token`
 * (image generation priced per image, speech priced per second) is
 * skipped with its reason, and so is a second entry for a provider and
 * model. A negative price, LiteLLM's sign of a dynamic price, gives a
 * `dynamic` entry with zero prices. Price fields that the engine has no
 * rate for are listed in `partial`. Nothing is thrown for a bad entry.
 *
 * `effectiveFrom` should be the date of the sheet; the sheet carries none,
 * so it defaults to UNDATED_EFFECTIVE_FROM.
 */
export function loadLiteLlmPrices(
  json: unknown,
  options: { effectiveFrom?: string; source?: string } = {},
): LoadedPrices {
  if (!isObject(json)) {
    throw new InputError(
      'Invalid LiteLLM price sheet: expected a JSON object keyed by model name',
    );
  }

  const result: LoadedPrices = {
    prices: [],
    skipped: [],
    rounded: 0,
    partial: [],
  };
  const firstEntries = new Map<string, { key: string; price: PriceInput }>();

  for (const [key, entry] of Object.entries(json)) {
    const entryState: LoadState = { rounded: 0 };
    const loaded = loadEntry(key, entry, options, entryState);
    if ('reason' in loaded) {
      result.skipped.push({ model: key, reason: loaded.reason });
      continue;
    }

    const identity = `${
      loaded.price.provider
    }\u0000${loaded.price.model.toLowerCase()}`;
    const first = firstEntries.get(identity);
    if (first !== undefined) {
      const same = samePrices(first.price, loaded.price);
      result.skipped.push({
        model: key,
        reason: `duplicate of ${JSON.stringify(first.key)} for provider ${
          loaded.price.provider
        }, ${same ? 'same prices' : 'other prices; the first is kept'}`,
      });
      continue;
    }
    firstEntries.set(identity, { key, price: loaded.price });

    result.prices.push(loaded.price);
    result.rounded += entryState.rounded;
    if (loaded.unused.length > 0) {
      result.partial.push({
        model: key,
        reason: `fields without a rate in the engine: ${loaded.unused.join(
          ', ',
        )}`,
      });
    }
  }

  return result;
}

type EntryResult = { price: PriceInput; unused: string[] } | { reason: string };

function loadEntry(
  key: string,
  entry: unknown,
  options: { effectiveFrom?: string; source?: string },
  state: LoadState,
): EntryResult {
  if (NON_MODEL_KEYS[key]) {
    return { reason: NON_MODEL_KEYS[key] };
  }
  if (!isObject(entry)) {
    return { reason: 'not an object' };
  }
  if (typeof entry.litellm_provider !== 'string' || !entry.litellm_provider) {
    return { reason: 'no litellm_provider' };
  }
  if (!isNumber(entry.input_cost_per_token)) {
    return { reason: 'no input_cost_per_token: not priced per token' };
  }
  if (!isNumber(entry.output_cost_per_token)) {
    return { reason: 'no output_cost_per_token: not priced per token' };
  }

  const provider = catalogProvider(entry.litellm_provider);
  const model = modelName(key, provider);
  const base = {
    provider,
    model,
    effectiveFrom: options.effectiveFrom ?? UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    source: options.source
      ? `${options.source}, entry ${key}`
      : `LiteLLM model_prices_and_context_window.json, entry ${key}`,
  };

  if (hasNegativePrice(entry)) {
    return {
      price: { ...base, input: '0', output: '0', dynamic: true },
      unused: [],
    };
  }

  const used = new Set<string>();
  const read = (
    field: string,
    shift: number,
    maxDecimals: number,
    value: unknown = entry[field],
  ) => {
    if (!isNumber(value)) {
      return undefined;
    }
    // A schedule may read a field the standard rates read before; the
    // figure counts once.
    const firstRead = !used.has(field);
    used.add(field);
    const decimal = toSheetDecimal(value, shift, maxDecimals);
    if (decimal.rounded && firstRead) {
      state.rounded += 1;
    }
    return decimal.text;
  };
  const perToken = (field: string) => read(field, 6, 6);

  const standard = readStandard(entry, perToken, read, used);
  const tiers = readTiers(entry, provider, '', perToken);
  const price: PriceInput = { ...base, ...standard };
  if (tiers.length > 0) {
    price.tiers = tiers;
  }

  const batch = readBatch(perToken);
  if (batch) {
    price.batch = batch;
  }
  for (const [tier, suffix] of SERVICE_TIER_SUFFIXES) {
    const schedule = readServiceTier(
      entry,
      provider,
      standard,
      suffix,
      perToken,
    );
    if (schedule) {
      price[tier] = schedule;
    }
  }

  return { price, unused: unusedFields(entry, used) };
}

/** Reads the standard rates: per-token prices and per-unit charges. */
function readStandard(
  entry: Record<string, unknown>,
  perToken: (field: string) => string | undefined,
  read: (
    field: string,
    shift: number,
    maxDecimals: number,
    value?: unknown,
  ) => string | undefined,
  used: Set<string>,
): RatesInput {
  const rates: RatesInput = {};

  for (const [field, rate] of TOKEN_FIELDS) {
    const value = perToken(field);
    if (value !== undefined) {
      rates[rate] = value;
    }
  }
  const cacheHit = perToken(CACHE_HIT_FIELD);
  if (rates.cachedInput === undefined && cacheHit !== undefined) {
    rates.cachedInput = cacheHit;
  }

  const request = read(REQUEST_FIELD, 0, 12);
  if (request !== undefined) {
    rates.request = request;
  }

  // LiteLLM prices a search by context size. Usage records carry no size,
  // so the medium price is taken; the sheet gives Anthropic and Gemini
  // models one price for all three sizes.
  const search = entry[WEB_SEARCH_FIELD];
  if (isObject(search) && isNumber(search.search_context_size_medium)) {
    used.add(WEB_SEARCH_FIELD);
    rates.webSearch = read(
      WEB_SEARCH_FIELD,
      0,
      12,
      search.search_context_size_medium,
    );
  }
  return rates;
}

/**
 * Reads long-context tiers. LiteLLM bills the whole request at the prices
 * of the highest `input_cost_per_token_above_<n>_tokens` threshold that
 * the prompt exceeds, and takes each price the tier lacks from the base
 * rates, as a TierInput does.
 */
function readTiers(
  entry: Record<string, unknown>,
  provider: string,
  suffix: string,
  perToken: (field: string) => string | undefined,
  fallbackSuffix?: string,
): TierInput[] {
  const tiers: TierInput[] = [];

  for (const field of Object.keys(entry)) {
    const match = TIER_INPUT_FIELD.exec(field);
    if (!match) {
      continue;
    }

    const threshold = Number(match[1]) * (match[2] ? 1000 : 1);
    const above = `_above_${match[1]}${match[2]}_tokens`;
    const tierField = (base: string) =>
      perToken(`${base}${above}${suffix}`) ??
      (fallbackSuffix === undefined
        ? undefined
        : perToken(`${base}${above}${fallbackSuffix}`));

    const tier: TierInput = {
      aboveInputTokens: INCLUSIVE_THRESHOLD_PROVIDERS.has(provider)
        ? threshold - 1
        : threshold,
    };
    const rates: Array<[string, TokenRateKey]> = [
      ['input_cost_per_token', 'input'],
      ['output_cost_per_token', 'output'],
      ['cache_read_input_token_cost', 'cachedInput'],
      ['cache_creation_input_token_cost', 'cacheWrite'],
      ['cache_creation_input_token_cost_above_1hr', 'cacheWrite1h'],
    ];
    for (const [base, rate] of rates) {
      const value = tierField(base);
      if (value !== undefined) {
        tier[rate] = value;
      }
    }
    tiers.push(tier);
  }

  return tiers.sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
}

/**
 * Reads the Batch API prices. LiteLLM has batch fields for input and
 * output only.
 */
function readBatch(
  perToken: (field: string) => string | undefined,
): ScheduleInput | undefined {
  const input = perToken('input_cost_per_token_batches');
  const output = perToken('output_cost_per_token_batches');

  if (input === undefined || output === undefined) {
    return undefined;
  }
  // NOTE: batch cache reads bill at the batch input price and batch
  // requests above a long-context threshold at the batch base price,
  // because the sheet has no batch fields for either.
  return { input, output };
}

/**
 * Reads a flex or priority schedule: the standard rates with the tier's
 * fields in their place, and the standard tier thresholds with the
 * service tier's prices where the sheet has them.
 */
function readServiceTier(
  entry: Record<string, unknown>,
  provider: string,
  standard: RatesInput,
  suffix: string,
  perToken: (field: string) => string | undefined,
): ScheduleInput | undefined {
  const overrides: RatesInput = {};

  for (const [field, rate] of TOKEN_FIELDS) {
    const value = perToken(`${field}${suffix}`);
    if (value !== undefined) {
      overrides[rate] = value;
    }
  }
  if (overrides.input === undefined && overrides.output === undefined) {
    return undefined;
  }

  const schedule: ScheduleInput = { ...standard, ...overrides };
  const tiers = readTiers(entry, provider, suffix, perToken, '');
  if (tiers.length > 0) {
    schedule.tiers = tiers;
  }
  return schedule;
}

/** Lists non-zero price fields of an entry that no rate took. */
function unusedFields(entry: Record<string, unknown>, used: Set<string>) {
  return Object.keys(entry)
    .filter(field => !used.has(field) && isPriceField(field))
    .filter(field => {
      const value = entry[field];
      return !(isNumber(value) && value === 0);
    })
    .sort();
}

/** Compares two entries' prices, leaving out their names and sources. */
function samePrices(a: PriceInput, b: PriceInput): boolean {
  const prices = ({ model, source, ...rest }: PriceInput) => rest;
  return JSON.stringify(prices(a)) === JSON.stringify(prices(b));
}

function isPriceField(field: string): boolean {
  return field.includes('cost') || field === 'tiered_pricing';
}

function hasNegativePrice(entry: Record<string, unknown>): boolean {
  return Object.entries(entry).some(
    ([field, value]) => isPriceField(field) && isNumber(value) && value < 0,
  );
}

/** Maps a LiteLLM provider name to the provider id of the price catalog. */
function catalogProvider(litellmProvider: string): string {
  const name = litellmProvider.trim().toLowerCase();

  // vertex_ai-language-models, vertex_ai-anthropic_models, ...
  if (name.startsWith('vertex_ai-')) {
    return 'vertex_ai';
  }
  if (name.endsWith('-embedding-models')) {
    return normalizeProvider(name.slice(0, -'-embedding-models'.length));
  }
  return normalizeProvider(LITELLM_PROVIDERS[name] ?? name);
}

/**
 * Strips a provider prefix that names the entry's own provider, such as
 * `azure/` from `azure/gpt-4o`; other keys stay model names.
 */
function modelName(key: string, provider: string): string {
  const slash = key.indexOf('/');
  if (slash <= 0) {
    return key;
  }
  const prefix = key.slice(0, slash);
  const prefixProvider = catalogProvider(prefix);

  return prefixProvider === provider ? key.slice(slash + 1) : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
