import { LoggerService } from '@backstage/backend-plugin-api';
import { AiCostConfig } from '../config';
import { PriceOverrideInput, PriceStore } from '../database/PriceStore';
import { CURATED_PRICES } from './catalog/curatedPrices';
import { ExchangeRates } from './ExchangeRates';
import { PriceBook } from './PriceBook';
import { ParsedPrice, parsePriceInput } from './priceSheet';
import { schedulesToJson } from './scheduleJson';
import { PriceSourceKind } from './types';

/**
 * Keeps the price catalog in the store in step with its sources and hands
 * out the PriceBook built from it, rebuilt after every change.
 */
export class PricingService {
  private priceBook?: Promise<PriceBook>;

  constructor(
    private readonly options: {
      store: PriceStore;
      config: AiCostConfig;
      logger: LoggerService;
    },
  ) {}

  /** Writes the curated catalog, configured prices, overrides and rates. */
  async syncConfiguredSources(): Promise<void> {
    const { config } = this.options;

    if (config.useCuratedCatalog) {
      await this.syncPrices(
        CURATED_PRICES.map(price => parsePriceInput(price)),
        'catalog',
        'config',
      );
    }
    await this.syncPrices(config.prices, 'config', 'config');
    await this.syncConfigOverrides(config.overrides);
    await this.options.store.upsertExchangeRates(
      config.exchangeRates,
      'config',
    );
    this.invalidate();
  }

  /**
   * Stores prices from one source and rebuilds the price book. App-config,
   * the curated catalog and loaded sheets deliver their whole list, so
   * their versions missing from it are retired; API entries are additions.
   */
  async syncPrices(
    prices: ParsedPrice[],
    sourceKind: PriceSourceKind,
    actor: string,
  ) {
    const result = await this.options.store.syncPrices(prices, {
      sourceKind,
      actor,
      retireMissing: sourceKind !== 'api',
    });
    this.options.logger.info(
      `Prices from ${sourceKind}: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged, ${result.removed} retired`,
    );
    this.invalidate();
    return result;
  }

  /** Returns the price book of the current catalog. */
  getPriceBook(): Promise<PriceBook> {
    if (!this.priceBook) {
      this.priceBook = this.buildPriceBook();
      this.priceBook.catch(() => this.invalidate());
    }
    return this.priceBook;
  }

  /** Drops the cached price book, so the next request rebuilds it. */
  invalidate(): void {
    this.priceBook = undefined;
  }

  private async buildPriceBook(): Promise<PriceBook> {
    const { store, config } = this.options;
    const [prices, overrides, rates] = await Promise.all([
      store.listPriceVersions(),
      store.listOverrides(),
      store.listExchangeRates(),
    ]);

    return new PriceBook({
      prices,
      overrides,
      exchangeRates: new ExchangeRates(config.currency, rates),
      aliases: config.modelAliases,
    });
  }

  /** Makes the stored config overrides equal to the configured ones. */
  private async syncConfigOverrides(configured: PriceOverrideInput[]) {
    const { store } = this.options;
    const stored = (await store.listOverrides()).filter(
      override => override.sourceKind === 'config',
    );
    const storedKeys = new Map(
      stored.map(override => [
        overrideKey({
          ...override,
          effectiveFrom: new Date(override.effectiveFrom).toISOString(),
          effectiveTo:
            override.effectiveTo === undefined
              ? undefined
              : new Date(override.effectiveTo).toISOString(),
        }),
        override,
      ]),
    );

    for (const input of configured) {
      const key = overrideKey({
        ...input,
        effectiveFrom: new Date(Date.parse(input.effectiveFrom)).toISOString(),
        effectiveTo: input.effectiveTo
          ? new Date(Date.parse(input.effectiveTo)).toISOString()
          : undefined,
      });
      if (storedKeys.has(key)) {
        storedKeys.delete(key);
      } else {
        await store.createOverride(input, {
          actor: 'config',
          sourceKind: 'config',
        });
      }
    }
    for (const removed of storedKeys.values()) {
      await store.deleteOverride(removed.id, 'config');
    }
  }
}

function overrideKey(override: PriceOverrideInput): string {
  return JSON.stringify([
    override.provider,
    override.model ?? null,
    override.effectiveFrom,
    override.effectiveTo ?? null,
    override.discountPercent ?? null,
    override.currency ?? null,
    override.schedules ? schedulesToJson(override.schedules) : null,
  ]);
}
