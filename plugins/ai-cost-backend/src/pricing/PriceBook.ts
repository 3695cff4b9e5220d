import { PriceVersion, PricingResult, TokenUsage } from './types';

const DATED_SNAPSHOT_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/**
 * Resolves the price version in force for a provider, model and instant,
 * and computes the exact cost of a request with it.
 */
export class PriceBook {
  private readonly versions = new Map<string, PriceVersion[]>();

  constructor(prices: PriceVersion[]) {
    for (const price of prices) {
      const key = priceKey(price.provider, price.model);
      const list = this.versions.get(key) ?? [];
      list.push(price);
      this.versions.set(key, list);
    }
    for (const list of this.versions.values()) {
      list.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    }
  }

  /**
   * Finds the price version of a model at an instant. A dated snapshot name
   * such as `gpt-4o-2024-08-06` falls back to its family `gpt-4o` only when
   * the snapshot has no price of its own.
   */
  find(provider: string, model: string, at: number): PriceVersion | undefined {
    const exact = this.findExact(provider, model, at);
    if (exact || !DATED_SNAPSHOT_SUFFIX.test(model)) {
      return exact;
    }
    return this.findExact(
      provider,
      model.replace(DATED_SNAPSHOT_SUFFIX, ''),
      at,
    );
  }

  /** Prices one request at the price in force at `at` (epoch ms). */
  price(
    provider: string,
    model: string,
    at: number,
    usage: TokenUsage,
  ): PricingResult {
    const version = this.find(provider, model, at);
    if (!version) {
      return { priced: false, reason: 'no price for model' };
    }

    return {
      priced: true,
      costPico: computeCostPico(version, usage),
      currency: version.currency,
      priceId: version.id,
    };
  }

  private findExact(provider: string, model: string, at: number) {
    const list = this.versions.get(priceKey(provider, model));
    if (!list) {
      return undefined;
    }
    // The latest version that started at or before `at` and has not ended.
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
}

/**
 * Computes the cost of one request in pico-units. Cached input tokens are
 * part of the input count and billed at the cached price when there is one.
 */
export function computeCostPico(
  version: PriceVersion,
  usage: TokenUsage,
): bigint {
  const uncachedInput = BigInt(usage.inputTokens - usage.cachedInputTokens);
  const cachedPrice =
    version.cachedInputPicoPerToken ?? version.inputPicoPerToken;

  return (
    uncachedInput * version.inputPicoPerToken +
    BigInt(usage.cachedInputTokens) * cachedPrice +
    BigInt(usage.outputTokens) * version.outputPicoPerToken
  );
}

function priceKey(provider: string, model: string): string {
  return `${provider.toLowerCase()}\u0000${model.toLowerCase()}`;
}
