import { InputError } from '@backstage/errors';
import { normalizeProvider } from '../modelNames';
import { PriceInput } from '../priceSheet';
import { clauseNames, matchesName } from './genaiMatch';
import { datedPrices, readRates, RoundingCounter } from './genaiRates';
import { LoadedPrices } from './types';

/**
 * genai-prices provider ids whose catalog ids differ from what
 * normalizeProvider gives. `google` covers the Gemini API and Vertex AI
 * (its `pricing_urls` list both), so its prices load under both.
 */
const CATALOG_PROVIDERS: Record<string, string[]> = {
  aws: ['bedrock'],
  google: ['gemini', 'vertex_ai'],
  'x-ai': ['xai'],
};

/** Options of loadGenaiPrices. */
export interface GenaiPricesOptions {
  /** Start of each entry's `source`. Default: `genai-prices v2 data`. */
  source?: string;
  /**
   * Also load, under a provider, the names of the providers that its
   * `fallback_model_providers` lists and that it does not price itself, as
   * genai-prices does (Azure falls back to OpenAI and Anthropic, Google to
   * Anthropic). Default: false, as the fallback price is the other
   * provider's list price, not one the provider publishes.
   */
  fallbackProviders?: boolean;
}

/** A model with valid prices, before it gets its names. */
interface LoadedModel {
  where: string;
  prices: PriceInput[];
}

/** A provider's models in data order and the names given to them. */
interface ProviderModels {
  id: string;
  catalogIds: string[];
  fallbacks: string[];
  models: Array<{ match: unknown; loaded?: LoadedModel }>;
  names: Map<string, { name: string; model: LoadedModel; via?: string }>;
}

/**
 * Reads the genai-prices v2 data (`prices/new_data/v2/data.json` of
 * pydantic/genai-prices; its schema is `data.schema.json`) into price
 * sheet entries, one per provider, model name and start date.
 *
 * genai-prices finds a model by its `match` clause, not by its id. The
 * price catalog matches exact names, so a model is loaded under its `id`
 * and under the text of each `equals`, `starts_with`, `ends_with` and
 * `contains` condition of its clause, directly or inside `or`. Each text
 * goes to the first model whose clause accepts it, as in genai-prices. A
 * name that only a pattern matches beyond its own text, such as
 * `mistral-medium-latest` for `starts_with: mistral-medium`, stays
 * unpriced here. Dated snapshots still resolve through the engine's
 * snapshot families.
 *
 * Models without both `input_mtok` and `output_mtok`, and models whose
 * prices depend on the time of day, are skipped with their reason. Keys
 * without a rate in the engine are left out and listed in `partial`.
 * Nothing is thrown for a bad model.
 */
export function loadGenaiPrices(
  json: unknown,
  options: GenaiPricesOptions = {},
): LoadedPrices {
  if (!Array.isArray(json)) {
    throw new InputError(
      'Invalid genai-prices data: expected a JSON array of providers',
    );
  }

  const result: LoadedPrices = {
    prices: [],
    skipped: [],
    rounded: 0,
    partial: [],
  };
  const providers = new Map<string, ProviderModels>();

  for (const provider of json) {
    if (!isObject(provider) || typeof provider.id !== 'string') {
      result.skipped.push({ model: '?', reason: 'provider without an id' });
      continue;
    }
    if (!Array.isArray(provider.models)) {
      result.skipped.push({
        model: `${provider.id}/*`,
        reason: 'provider without a models list',
      });
      continue;
    }

    const models = readProvider(provider, provider.models, options, result);
    nameModels(models);
    providers.set(models.id, models);
  }

  if (options.fallbackProviders) {
    for (const provider of providers.values()) {
      addFallbackNames(provider, providers);
    }
  }

  for (const provider of providers.values()) {
    for (const { name, model, via } of provider.names.values()) {
      for (const catalogId of provider.catalogIds) {
        for (const price of model.prices) {
          result.prices.push({
            ...price,
            provider: catalogId,
            model: name,
            source: via ? `${price.source}, ${via}` : price.source,
          });
        }
      }
    }
  }
  return result;
}

/** Reads the valid models of one provider; records skipped and partial ones. */
function readProvider(
  provider: Record<string, unknown>,
  models: unknown[],
  options: GenaiPricesOptions,
  result: LoadedPrices,
): ProviderModels {
  const providerId = String(provider.id);
  const pricingUrl = Array.isArray(provider.pricing_urls)
    ? provider.pricing_urls.find(url => typeof url === 'string')
    : undefined;
  const read: ProviderModels = {
    id: providerId,
    catalogIds: CATALOG_PROVIDERS[providerId] ?? [
      normalizeProvider(providerId),
    ],
    fallbacks: Array.isArray(provider.fallback_model_providers)
      ? provider.fallback_model_providers.filter(
          (id): id is string => typeof id === 'string',
        )
      : [],
    models: [],
    names: new Map(),
  };
  const ids = new Set<string>();

  for (const model of models) {
    if (!isObject(model) || typeof model.id !== 'string') {
      result.skipped.push({
        model: `${providerId}/?`,
        reason: 'model without an id',
      });
      continue;
    }

    const where = `${providerId}/${model.id}`;
    const entry: ProviderModels['models'][number] = { match: model.match };
    read.models.push(entry);
    if (ids.has(model.id.toLowerCase())) {
      result.skipped.push({ model: where, reason: 'duplicate model id' });
      continue;
    }
    ids.add(model.id.toLowerCase());

    const source = [
      options.source ?? 'genai-prices v2 data',
      `model ${where}`,
      pricingUrl ? `provider pricing page ${pricingUrl}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    const loaded = readModel(model, where, source, result);
    if (loaded) {
      entry.loaded = loaded;
      loaded.prices.forEach(price => (price.model = model.id as string));
    }
  }
  return read;
}

/** Reads one model's prices per start date, or records why it is skipped. */
function readModel(
  model: Record<string, unknown>,
  where: string,
  source: string,
  result: LoadedPrices,
): LoadedModel | undefined {
  const dated = datedPrices(model.prices);
  if ('reason' in dated) {
    result.skipped.push({ model: where, reason: dated.reason });
    return undefined;
  }

  const counter: RoundingCounter = { rounded: 0 };
  const unused = new Set<string>();
  const prices: PriceInput[] = [];
  for (const entry of dated.list) {
    const rates = readRates(entry.prices, counter);
    if ('reason' in rates) {
      result.skipped.push({ model: where, reason: rates.reason });
      return undefined;
    }
    rates.unused.forEach(key => unused.add(key));
    prices.push({
      provider: '',
      model: '',
      effectiveFrom: entry.effectiveFrom,
      currency: 'USD',
      source,
      ...rates.rates,
    });
  }

  result.rounded += counter.rounded;
  if (unused.size > 0) {
    result.partial.push({
      model: where,
      reason: `keys without a rate in the engine: ${[...unused]
        .sort()
        .join(', ')}`,
    });
  }
  return { where, prices };
}

/**
 * Names a provider's models: each model its id, then each condition text
 * of any clause goes to the first model whose clause accepts it, as
 * genai-prices looks models up in data order. A text that a skipped model
 * accepts first stays unpriced rather than going to a later model.
 */
function nameModels(provider: ProviderModels) {
  const take = (name: string, model: LoadedModel) => {
    const key = name.toLowerCase();
    if (!provider.names.has(key)) {
      provider.names.set(key, { name, model });
    }
  };

  for (const { loaded } of provider.models) {
    if (loaded) {
      take(loaded.prices[0].model, loaded);
    }
  }
  for (const { match } of provider.models) {
    for (const name of clauseNames(match)) {
      const owner = provider.models.find(entry =>
        matchesName(entry.match, name),
      );
      if (owner?.loaded) {
        take(name, owner.loaded);
      }
    }
  }
}

/** Adds the names of fallback providers that a provider lacks. */
function addFallbackNames(
  provider: ProviderModels,
  providers: Map<string, ProviderModels>,
) {
  const own = new Set(provider.names.keys());

  for (const fallbackId of provider.fallbacks) {
    const fallback = providers.get(fallbackId);
    for (const [key, entry] of fallback?.names ?? []) {
      // genai-prices falls back one step only, so names that the fallback
      // provider itself took from its fallbacks are left out.
      if (own.has(key) || provider.names.has(key) || entry.via) {
        continue;
      }
      provider.names.set(key, {
        ...entry,
        via: `priced as ${entry.model.where} through fallback_model_providers`,
      });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
