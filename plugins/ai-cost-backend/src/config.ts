import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { PriceOverrideInput } from './database/PriceStore';
import { ExchangeRateInput } from './pricing/ExchangeRates';
import { PERCENT_PATTERN, parseOverrideInput } from './pricing/overrideInput';
import { ModelAlias } from './pricing/PriceBook';
import { ParsedPrice, PriceInput, parsePriceInput } from './pricing/priceSheet';

/** Target entity, provider and model of one Azure LLM inference trace file. */
export interface AzureTraceTarget {
  entityRef: string;
  provider: string;
  model: string;
}

/** The `aiCost` section of app-config, validated, with defaults applied. */
export interface AiCostConfig {
  currency: string;
  prices: ParsedPrice[];
  /** Load the curated default catalog. Default: true. */
  useCuratedCatalog: boolean;
  overrides: PriceOverrideInput[];
  exchangeRates: ExchangeRateInput[];
  modelAliases: ModelAlias[];
  providerCostTolerancePercent: string;
  demo: { enabled: boolean; days: number };
  azureTrace: Record<string, AzureTraceTarget>;
  /** Days for which raw usage records are kept; undefined keeps them all. */
  rawRecordRetentionDays?: number;
}

/** Reads the `aiCost` section of app-config. */
export function readAiCostConfig(config: Config): AiCostConfig {
  const root = config.getOptionalConfig('aiCost');
  const currency = root?.getOptionalString('currency') ?? 'USD';

  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new InputError(
      `Invalid aiCost.currency "${currency}"; use a 3-letter ISO 4217 code such as USD`,
    );
  }

  const prices = (root?.getOptionalConfigArray('prices') ?? []).map(price =>
    parsePriceInput(price.get<PriceInput>()),
  );

  const overrides = (root?.getOptionalConfigArray('overrides') ?? []).map(
    override => readOverride(override),
  );

  const exchangeRates = (
    root?.getOptionalConfigArray('exchangeRates') ?? []
  ).map(rate => ({
    currency: rate.getString('currency'),
    date: rate.getString('date'),
    rate: rate.getString('rate'),
  }));

  const modelAliases = (root?.getOptionalConfigArray('modelAliases') ?? []).map(
    alias => ({
      provider: alias.getOptionalString('provider'),
      name: alias.getString('name'),
      targetProvider: alias.getString('targetProvider'),
      targetModel: alias.getString('targetModel'),
    }),
  );

  const tolerance =
    root?.getOptionalString('providerCostTolerancePercent') ?? '1';
  if (!PERCENT_PATTERN.test(tolerance)) {
    throw new InputError(
      `Invalid aiCost.providerCostTolerancePercent "${tolerance}"; use a percentage such as "1" or "0.5"`,
    );
  }

  const azureTrace: Record<string, AzureTraceTarget> = {};
  const traces = root?.getOptionalConfig('azureTrace');
  for (const name of traces?.keys() ?? []) {
    const trace = traces!.getConfig(name);
    azureTrace[name] = {
      entityRef: trace.getString('entityRef'),
      provider: trace.getString('provider'),
      model: trace.getString('model'),
    };
  }

  const retentionDays = root?.getOptionalNumber('retention.rawRecordDays');
  if (
    retentionDays !== undefined &&
    (!Number.isInteger(retentionDays) || retentionDays < 1)
  ) {
    throw new InputError(
      `Invalid aiCost.retention.rawRecordDays ${retentionDays}; use a whole number of days of at least 1, or leave it out to keep all records`,
    );
  }

  return {
    currency,
    prices,
    useCuratedCatalog: root?.getOptionalBoolean('curatedCatalog') ?? true,
    overrides,
    exchangeRates,
    modelAliases,
    providerCostTolerancePercent: tolerance,
    demo: {
      enabled: root?.getOptionalBoolean('demo.enabled') ?? false,
      days: root?.getOptionalNumber('demo.days') ?? 90,
    },
    azureTrace,
    rawRecordRetentionDays: retentionDays,
  };
}

/**
 * Reads one negotiated override: `discountPercent` off the list price, or
 * explicit prices in the price sheet format.
 */
export function readOverride(config: Config): PriceOverrideInput {
  return parseOverrideInput(config.get());
}
