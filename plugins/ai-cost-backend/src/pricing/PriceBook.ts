import { computeCost, selectRates } from './computeCost';
import { ExchangeRates } from './ExchangeRates';
import { multiplyPico, percentOf } from './money';
import {
  normalizeProvider,
  snapshotFamily,
  splitProviderPrefix,
} from './modelNames';
import {
  PRICE_SOURCE_KINDS,
  PriceSchedule,
  PriceVersion,
  PricingResult,
  ServiceTier,
  TokenUsage,
} from './types';

/**
 * A negotiated rate: a percentage off the list price, or explicit prices,
 * for all models of a provider or for one model, over a time range.
 */
export interface PriceOverride {
  id: number;
  provider: string;
  /** Undefined for every model of the provider. */
  model?: string;
  /** Epoch milliseconds, inclusive. */
  effectiveFrom: number;
  /** Epoch milliseconds, exclusive. */
  effectiveTo?: number;
  /** Decimal percentage off the list price, such as `15` or `12.5`. */
  discountPercent?: string;
  /** Explicit prices that replace the list prices. */
  currency?: string;
  schedules?: PriceVersion['schedules'];
}

/** A configured name that stands for a model: a deployment or an ARN. */
export interface ModelAlias {
  /** Provider the name is used with; undefined for any provider. */
  provider?: string;
  /** Azure deployment name, Bedrock inference-profile ARN or other name. */
  name: string;
  /** Provider and model of the price catalog that the name stands for. */
  targetProvider: string;
  targetModel: string;
}

/**
 * Resolves the price version in force for a provider, model and instant,
 * applies negotiated overrides and converts to the reporting currency.
 */
export class PriceBook {
  private readonly versions = new Map<string, PriceVersion[]>();
  private readonly resolved = new Map<string, PriceVersion[][]>();
  private readonly aliases = new Map<string, ModelAlias>();
  private readonly overrides: PriceOverride[];
  private readonly exchangeRates: ExchangeRates;

  constructor(options: {
    prices: PriceVersion[];
    reportingCurrency?: string;
    exchangeRates?: ExchangeRates;
    overrides?: PriceOverride[];
    aliases?: ModelAlias[];
  }) {
    for (const price of options.prices) {
      const key = priceKey(price.provider, price.model);
      const list = this.versions.get(key) ?? [];
      list.push(price);
      this.versions.set(key, list);
    }
    for (const list of this.versions.values()) {
      list.sort(
        (a, b) =>
          a.effectiveFrom - b.effectiveFrom ||
          sourceRank(a) - sourceRank(b) ||
          a.id - b.id,
      );
    }
    for (const alias of options.aliases ?? []) {
      this.aliases.set(aliasKey(alias.provider, alias.name), alias);
    }

    this.overrides = options.overrides ?? [];
    this.exchangeRates =
      options.exchangeRates ??
      new ExchangeRates(options.reportingCurrency ?? 'USD', []);
  }

  /**
   * Finds the price version of a model at an instant. The model name may
   * carry a provider prefix (`azure/gpt-4o`) or be a configured alias. A
   * dated snapshot such as `gpt-4o-2024-08-06` falls back to its family
   * `gpt-4o` only when the snapshot has no price of its own.
   */
  find(provider: string, model: string, at: number): PriceVersion | undefined {
    for (const list of this.resolve(provider, model)) {
      const version = findInForce(list, at);
      if (version) {
        return version;
      }
    }
    return undefined;
  }

  /**
   * Returns the version lists of every name a provider and model may stand
   * for, in the order they are tried; memoised, as names repeat.
   */
  private resolve(provider: string, model: string): PriceVersion[][] {
    const key = `${provider}\u0000${model}`;
    let lists = this.resolved.get(key);

    if (!lists) {
      lists = [];
      for (const candidate of this.candidates(provider, model)) {
        const list = this.versions.get(
          priceKey(candidate.provider, candidate.model),
        );
        if (list) {
          lists.push(list);
        }
      }
      this.resolved.set(key, lists);
    }
    return lists;
  }

  /** Prices one request at the prices in force at `at` (epoch ms). */
  price(
    provider: string,
    model: string,
    at: number,
    usage: TokenUsage,
  ): PricingResult {
    if (usage.usageReported === false) {
      return { priced: false, reason: 'no usage reported' };
    }

    const version = this.find(provider, model, at);
    if (!version) {
      return { priced: false, reason: 'no price for model' };
    }
    if (version.dynamic) {
      return { priced: false, reason: 'dynamic price' };
    }

    const tier: ServiceTier = usage.serviceTier ?? 'standard';
    const { schedule, note: tierNote } = scheduleFor(version.schedules, tier);
    const rates = selectRates(schedule, usage.inputTokens);
    const listCostPico = computeCost(rates, usage);
    const searchNote =
      (usage.webSearchRequests ?? 0) > 0 && rates.webSearch === undefined
        ? 'no web search price; searches not billed'
        : undefined;
    const note = [tierNote, searchNote].filter(Boolean).join('; ') || undefined;

    const override =
      this.overrides.length > 0
        ? this.findOverride(version.provider, version.model, at)
        : undefined;
    let costPico = listCostPico;
    let currency = version.currency;
    if (override?.schedules) {
      const overrideSchedule = scheduleFor(override.schedules, tier).schedule;
      costPico = computeCost(
        selectRates(overrideSchedule, usage.inputTokens),
        usage,
      );
      currency = override.currency ?? version.currency;
    } else if (override?.discountPercent !== undefined) {
      costPico =
        listCostPico - percentOf(listCostPico, override.discountPercent);
    }

    const converted = this.convert(costPico, currency, at);
    if (converted === undefined) {
      const day = new Date(at).toISOString().slice(0, 10);
      return {
        priced: false,
        reason: `no exchange rate from ${currency} to ${this.exchangeRates.reportingCurrency} on ${day}`,
      };
    }

    return {
      priced: true,
      costPico: converted,
      currency: this.exchangeRates.reportingCurrency,
      listCostPico,
      listCurrency: version.currency,
      priceId: version.id,
      overrideId: override?.id,
      note,
    };
  }

  /** The reporting currency that `price` converts costs to. */
  get reportingCurrency(): string {
    return this.exchangeRates.reportingCurrency;
  }

  /**
   * Converts pico-units of a currency into the reporting currency at the
   * rate of the UTC day of `at`; undefined without a rate.
   */
  convert(pico: bigint, currency: string, at: number): bigint | undefined {
    if (currency === this.exchangeRates.reportingCurrency) {
      return pico;
    }
    const day = new Date(at).toISOString().slice(0, 10);
    const rate = this.exchangeRates.rateOn(currency, day);
    if (rate === undefined) {
      return undefined;
    }
    return rate === '1' ? pico : multiplyPico(pico, rate);
  }

  private *candidates(provider: string, model: string) {
    const normalized = normalizeProvider(provider);
    const alias =
      this.aliases.get(aliasKey(normalized, model)) ??
      this.aliases.get(aliasKey(undefined, model));

    if (alias) {
      yield { provider: alias.targetProvider, model: alias.targetModel };
      return;
    }

    const prefixed = splitProviderPrefix(model);
    const names = prefixed
      ? [prefixed, { provider: normalized, model }]
      : [{ provider: normalized, model }];

    for (const name of names) {
      yield name;
    }
    for (const name of names) {
      const family = snapshotFamily(name.model);
      if (family) {
        yield { provider: name.provider, model: family };
      }
    }
  }

  /**
   * Finds the override in force for a model. A model's own override wins
   * over one for all of the provider's models.
   */
  private findOverride(provider: string, model: string, at: number) {
    let found: PriceOverride | undefined;

    for (const override of this.overrides) {
      const inForce =
        override.effectiveFrom <= at &&
        (override.effectiveTo === undefined || at < override.effectiveTo);
      const matches =
        normalizeProvider(override.provider) === normalizeProvider(provider) &&
        (override.model === undefined ||
          override.model.toLowerCase() === model.toLowerCase());
      if (!inForce || !matches) {
        continue;
      }

      const moreSpecific =
        !found ||
        (override.model !== undefined && found.model === undefined) ||
        ((override.model === undefined) === (found.model === undefined) &&
          override.effectiveFrom > found.effectiveFrom);
      if (moreSpecific) {
        found = override;
      }
    }
    return found;
  }
}

/** The latest version that started at or before `at` and has not ended. */
function findInForce(list: PriceVersion[], at: number) {
  for (let i = list.length - 1; i >= 0; i--) {
    const version = list[i];
    if (version.effectiveFrom <= at) {
      const ended =
        version.effectiveTo !== undefined && version.effectiveTo <= at;
      return ended ? undefined : version;
    }
  }
  return undefined;
}

function scheduleFor(
  schedules: PriceVersion['schedules'],
  tier: ServiceTier,
): { schedule: PriceSchedule; note?: string } {
  const schedule = schedules[tier];
  if (schedule) {
    return { schedule };
  }
  // NOTE: without a price for the tier, the standard price is an upper
  // bound for batch and flex and a lower bound for priority.
  return {
    schedule: schedules.standard,
    note: `no ${tier} price; standard price used`,
  };
}

function sourceRank(version: PriceVersion): number {
  return PRICE_SOURCE_KINDS.indexOf(version.sourceKind ?? 'config');
}

function priceKey(provider: string, model: string): string {
  return `${normalizeProvider(provider)}\u0000${model.toLowerCase()}`;
}

function aliasKey(provider: string | undefined, name: string): string {
  return `${provider ? normalizeProvider(provider) : '*'}\u0000${name}`;
}
