import { UsageImportResponse } from '@ai-cost/plugin-ai-cost-common';
import { UsageStore } from '../database/UsageStore';
import { UsageRecordRow } from '../database/tables';
import { PriceBook } from '../pricing/PriceBook';
import { ParsedBatch, UsageRecord } from './types';

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
      /** Reporting currency; prices in another one leave records unpriced. */
      currency: string;
    },
  ) {}

  /**
   * Stores the valid records of a batch and reports what happened to each.
   * Request ids are global: a record whose id is stored is a duplicate.
   */
  async ingest(batch: ParsedBatch): Promise<UsageImportResponse> {
    const priceBook = await this.options.getPriceBook();
    const rows: UsageRecordRow[] = [];
    let unpriced = 0;
    let unallocated = 0;

    for (const record of batch.records) {
      const row = await this.toRow(record, priceBook);
      if (row.cost_pico === null) {
        unpriced += 1;
      }
      if (row.entity_ref === null) {
        unallocated += 1;
      }
      rows.push(row);
    }

    const { inserted, duplicates } = await this.options.store.insertUsage(rows);

    return {
      accepted: inserted,
      duplicates,
      unpriced,
      unallocated,
      rejected: batch.errors,
    };
  }

  private async toRow(
    record: UsageRecord,
    priceBook: PriceBook,
  ): Promise<UsageRecordRow> {
    const entityRef =
      record.entityRef ?? (await this.options.resolveEntity(record.attributes));
    const pricing = priceBook.price(
      record.provider,
      record.model,
      record.timestamp,
      record,
    );

    let costPico: string | null = null;
    let unpricedReason: string | null = null;
    if (!pricing.priced) {
      unpricedReason = pricing.reason;
    } else if (pricing.currency !== this.options.currency) {
      unpricedReason = `no exchange rate from ${pricing.currency} to ${this.options.currency}`;
    } else {
      costPico = pricing.costPico.toString();
    }

    return {
      request_key: record.requestId,
      occurred_at: record.timestamp,
      usage_date: new Date(record.timestamp).toISOString().slice(0, 10),
      entity_ref: entityRef ?? null,
      service: record.attributes['service.name'] ?? null,
      provider: record.provider,
      model: record.model,
      input_tokens: record.inputTokens,
      cached_input_tokens: record.cachedInputTokens,
      output_tokens: record.outputTokens,
      cost_pico: costPico,
      currency: costPico === null ? null : this.options.currency,
      price_id:
        costPico === null ? null : (pricing as { priceId: number }).priceId,
      unpriced_reason: unpricedReason,
      task_id: record.taskId ?? null,
      task_outcome: record.taskOutcome ?? null,
    };
  }
}
