import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { UsageStore } from '../database/UsageStore';

/** Records deleted per statement, so that no delete holds locks for long. */
const DELETE_BATCH = 10_000;

/**
 * Deletes raw usage records older than the retention and returns how many
 * it deleted. The hourly rollups keep their sums, so cost queries are
 * unchanged.
 */
export async function pruneUsageRecords(options: {
  store: UsageStore;
  retentionDays: number;
  now: number;
  batchSize?: number;
}): Promise<number> {
  const cutoff = options.now - options.retentionDays * 86_400_000;
  const batchSize = options.batchSize ?? DELETE_BATCH;
  let deleted = 0;
  for (;;) {
    const count = await options.store.deleteRecordsBefore(cutoff, batchSize);
    deleted += count;
    if (count < batchSize) {
      return deleted;
    }
  }
}

/** Schedules the daily deletion of raw usage records past retention. */
export async function scheduleRetention(options: {
  scheduler: SchedulerService;
  store: UsageStore;
  retentionDays: number;
  logger: LoggerService;
}): Promise<void> {
  const { logger, retentionDays } = options;
  await options.scheduler.scheduleTask({
    id: 'ai-cost-usage-retention',
    frequency: { hours: 24 },
    timeout: { hours: 1 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const deleted = await pruneUsageRecords({
        store: options.store,
        retentionDays,
        now: Date.now(),
      });
      logger.info(
        `Deleted ${deleted} raw usage records older than ${retentionDays} days; hourly rollups are kept`,
      );
    },
  });
}
