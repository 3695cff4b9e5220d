import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** A price as configured: decimal strings per million tokens. */
export interface PriceInput {
  provider: string;
  model: string;
  effectiveFrom: string;
  effectiveTo?: string;
  currency: string;
  input: string;
  cachedInput?: string;
  output: string;
  source?: string;
}

/** Where the rows of one Azure LLM inference trace file belong. */
export interface AzureTraceTarget {
  entityRef: string;
  provider: string;
  model: string;
}

/** The `aiCost` section of app-config, with defaults applied. */
export interface AiCostConfig {
  currency: string;
  prices: PriceInput[];
  demo: { enabled: boolean; days: number };
  azureTrace: Record<string, AzureTraceTarget>;
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

  const prices = (root?.getOptionalConfigArray('prices') ?? []).map(price => ({
    provider: price.getString('provider'),
    model: price.getString('model'),
    effectiveFrom: price.getString('effectiveFrom'),
    effectiveTo: price.getOptionalString('effectiveTo'),
    currency: price.getString('currency'),
    input: price.getString('input'),
    cachedInput: price.getOptionalString('cachedInput'),
    output: price.getString('output'),
    source: price.getOptionalString('source'),
  }));

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

  return {
    currency,
    prices,
    demo: {
      enabled: root?.getOptionalBoolean('demo.enabled') ?? false,
      days: root?.getOptionalNumber('demo.days') ?? 90,
    },
    azureTrace,
  };
}
