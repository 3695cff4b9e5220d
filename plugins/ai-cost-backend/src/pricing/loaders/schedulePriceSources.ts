import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { PricingService } from '../PricingService';
import { ParsedPrice, parsePriceInput } from '../priceSheet';
import { loadPriceSource, PriceSourceLimits } from './loadPriceSource';
import { PriceSourceConfig } from './readPriceSources';

/** Maximum run time of one load before the scheduler releases the task. */
const TASK_TIMEOUT = { minutes: 10 };

/** Invalid entries named in the warning of one load; the rest are counted. */
const LOGGED_INVALID = 5;

/**
 * Schedules each price source: a task per source that loads the sheet,
 * validates each entry and writes the valid ones through
 * `pricing.syncPrices` with the source's format as source kind and
 * `price-source:<name>` as actor. The tasks are global, so in a cluster
 * one instance loads each source per `refresh` period.
 *
 * Each task is also triggered once here, so the prices load at start-up
 * and not only when the period since the last run, possibly before a
 * restart, has passed.
 */
export async function schedulePriceSources(options: {
  scheduler: SchedulerService;
  pricing: Pick<PricingService, 'syncPrices'>;
  sources: PriceSourceConfig[];
  logger: LoggerService;
  limits?: PriceSourceLimits;
}): Promise<void> {
  const { scheduler, pricing, sources, logger } = options;

  for (const source of sources) {
    const id = `ai-cost-price-source-${source.name}`;
    const sourceLogger = logger.child({ priceSource: source.name });

    await scheduler.scheduleTask({
      id,
      frequency: source.refresh,
      timeout: TASK_TIMEOUT,
      scope: 'global',
      fn: () => runPriceSource(source, pricing, sourceLogger, options.limits),
    });

    try {
      await scheduler.triggerTask(id);
    } catch (error) {
      // Another instance is loading the source right now.
      if (!(error instanceof ConflictError)) {
        throw error;
      }
    }
  }
}

/**
 * Loads one price source and stores its valid entries. Failures are
 * logged, not thrown, so that a source that cannot be read leaves the
 * stored prices as they are and runs again at its next period.
 */
export async function runPriceSource(
  source: PriceSourceConfig,
  pricing: Pick<PricingService, 'syncPrices'>,
  logger: LoggerService,
  limits?: PriceSourceLimits,
): Promise<void> {
  const where = source.file ?? source.url;
  logger.info(`Loading ${source.format} prices from ${where}`);

  try {
    const loaded = await loadPriceSource(source, limits);
    const parsed: ParsedPrice[] = [];
    const invalid: string[] = [];
    for (const price of loaded.prices) {
      try {
        parsed.push(parsePriceInput(price));
      } catch (error) {
        invalid.push((error as Error).message);
      }
    }

    if (invalid.length > 0) {
      logger.warn(
        `${
          invalid.length
        } invalid prices from ${where} dropped, such as: ${invalid
          .slice(0, LOGGED_INVALID)
          .join('; ')}`,
      );
    }

    const result = await pricing.syncPrices(
      parsed,
      source.format,
      `price-source:${source.name}`,
    );
    logger.info(
      `Loaded ${parsed.length} prices from ${where}: ${result.added} added, ${result.changed} changed, ${result.unchanged} unchanged; ${loaded.skipped.length} sheet entries skipped, ${invalid.length} invalid, ${loaded.partial.length} loaded without some prices, ${loaded.rounded} figures rounded`,
    );
  } catch (error) {
    logger.error(
      `Loading ${source.format} prices from ${where} failed; the stored prices are kept`,
      error as Error,
    );
  }
}
