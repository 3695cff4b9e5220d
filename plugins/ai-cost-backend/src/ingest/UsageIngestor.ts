import { UsageImportResponse } from '@ai-cost/plugin-ai-cost-common';
import { UsageStore } from '../database/UsageStore';
import { UsageRecordRow } from '../database/tables';
import { PriceBook } from '../pricing/PriceBook';
import { priceUsage } from '../pricing/priceUsage';
import { ParsedBatch, UsageRecord } from './types';

/** Earliest accepted request time, 2000-01-01; earlier ones are bad clocks. */
const EARLIEST_TIMESTAMP = Date.UTC(2000, 0, 1);

/** How far past now a request time may lie, for clock skew between hosts. */
const MAX_FUTURE_MILLIS = 86_400_000;

/**
 * Maps parsed usage records to entities, prices them and stores them,
 * skipping records stored before.
 */
export class UsageIngestor {
  constructor(
    private readonly options: {
      store: UsageStore;
      /** Resolves selector attributes to an entity ref. */
      resolveEntity: (
        attributes: Record<string, string>,
      ) => Promise<string | undefined>;
      /** Returns the price book in force; reloaded when prices change. */
      getPriceBook: () => Promise<PriceBook>;
      /**
       * Largest difference between computed and provider-reported cost, in
       * percent of the reported cost, before a record is flagged.
       */
      providerCostTolerancePercent?: string;
      /**
       * Days for which raw records are kept. Older records are rejected,
       * because their request ids are no longer stored to detect a re-send.
       */
      retentionDays?: number;
      now?: () => number;
    },
  ) {}

  /**
   * Stores the valid records of a batch and reports what happened to each.
   * Request ids are global: a record whose id is stored is a duplicate.
   */
  async ingest(batch: ParsedBatch): Promise<UsageImportResponse> {
    const priceBook = await this.options.getPriceBook();
    const rows: UsageRecordRow[] = [];
    const rejected = [...batch.errors];
    let unpriced = 0;
    let unallocated = 0;

    const cutoff = this.retentionCutoff();
    const latest = this.now() + MAX_FUTURE_MILLIS;
    for (const [index, record] of batch.records.entries()) {
      if (record.timestamp < EARLIEST_TIMESTAMP || record.timestamp > latest) {
        rejected.push({
          record: batch.positions?.[index] ?? index,
          field: 'timestamp',
          message: `timestamp ${new Date(
            record.timestamp,
          ).toISOString()} is outside the accepted range from 2000-01-01 to one day after now; check the clock or the time unit of the source`,
        });
        continue;
      }
      if (cutoff !== undefined && record.timestamp < cutoff) {
        rejected.push({
          record: batch.positions?.[index] ?? index,
          field: 'timestamp',
          message: `timestamp ${new Date(
            record.timestamp,
          ).toISOString()} is older than the raw-record retention of ${
            this.options.retentionDays
          } days; such records cannot be checked for duplicates`,
        });
        continue;
      }
      rows.push(await this.toRow(record, priceBook));
    }

    const { inserted, duplicates, insertedKeys } =
      await this.options.store.insertUsage(rows);

    // Only records stored now count; skipped duplicates were counted before.
    const counted = new Set<string>();
    for (const row of rows) {
      if (!insertedKeys.has(row.request_key) || counted.has(row.request_key)) {
        continue;
      }
      counted.add(row.request_key);
      if (row.cost_pico === null) {
        unpriced += 1;
      }
      if (row.entity_ref === null) {
        unallocated += 1;
      }
    }

    return {
      accepted: inserted,
      duplicates,
      unpriced,
      unallocated,
      rejected: rejected.sort((a, b) => a.record - b.record),
    };
  }

  private retentionCutoff(): number | undefined {
    const { retentionDays } = this.options;
    if (retentionDays === undefined) {
      return undefined;
    }
    return this.now() - retentionDays * 86_400_000;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async toRow(
    record: UsageRecord,
    priceBook: PriceBook,
  ): Promise<UsageRecordRow> {
    const entityRef =
      record.entityRef ?? (await this.options.resolveEntity(record.attributes));

    return {
      request_key: record.requestId,
      occurred_at: record.timestamp,
      usage_date: new Date(record.timestamp).toISOString().slice(0, 10),
      entity_ref: entityRef ?? null,
      service: record.attributes['service.name'] ?? null,
      provider: record.provider,
      model: record.model,
      service_tier: record.serviceTier ?? 'standard',
      input_tokens: record.inputTokens,
      cached_input_tokens: record.cachedInputTokens,
      cache_write_tokens: record.cacheWriteTokens ?? 0,
      cache_write_1h_tokens: record.cacheWrite1hTokens ?? 0,
      input_audio_tokens: record.inputAudioTokens ?? 0,
      input_image_tokens: record.inputImageTokens ?? 0,
      output_tokens: record.outputTokens,
      reasoning_tokens: record.reasoningTokens ?? 0,
      output_audio_tokens: record.outputAudioTokens ?? 0,
      output_image_tokens: record.outputImageTokens ?? 0,
      web_search_requests: record.webSearchRequests ?? 0,
      ...priceUsage(
        priceBook,
        record,
        this.options.providerCostTolerancePercent,
      ),
      provider_cost: record.providerCost ?? null,
      provider_cost_currency: record.providerCost
        ? record.providerCostCurrency ?? 'USD'
        : null,
      task_id: record.taskId ?? null,
      task_outcome: record.taskOutcome ?? null,
      operation: record.operation ?? null,
      semantic_cache_hit: record.semanticCacheHit ?? false,
      query_complexity: record.queryComplexity ?? null,
      is_retry: record.retry ?? false,
    };
  }
}
