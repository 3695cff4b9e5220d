import { LoggerService } from '@backstage/backend-plugin-api';
import { UsageStore } from '../database/UsageStore';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { UsageRecord } from '../ingest/types';
import { generateDemoUsage } from './generateDemoUsage';

/** Records per ingest call while seeding. */
const SEED_BATCH = 5000;

/**
 * Fills demo usage for the `days` up to today when the store contains no usage
 * yet, and returns the number of records stored.
 */
export async function seedDemoUsage(options: {
  store: UsageStore;
  ingestor: UsageIngestor;
  days: number;
  logger: LoggerService;
  now?: Date;
}): Promise<number> {
  const { store, ingestor, logger } = options;

  if (await store.hasUsage()) {
    logger.info('Demo usage skipped because the store already contains usage');
    return 0;
  }

  const started = Date.now();
  let stored = 0;
  let batch: UsageRecord[] = [];

  const flush = async () => {
    const result = await ingestor.ingest({ records: batch, errors: [] });
    stored += result.accepted;
    batch = [];
  };

  for (const record of generateDemoUsage({
    now: options.now ?? new Date(),
    days: options.days,
  })) {
    batch.push(record);
    if (batch.length === SEED_BATCH) {
      await flush();
    }
  }
  await flush();

  logger.info(
    `Demo usage stored: ${stored} requests over ${options.days} days in ${
      Date.now() - started
    } ms`,
  );
  return stored;
}
