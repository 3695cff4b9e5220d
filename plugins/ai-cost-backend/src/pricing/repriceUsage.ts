import {
  PriceVersionChange,
  RepriceResponse,
} from '@ai-cost/plugin-ai-cost-common';
import { PriceStore } from '../database/PriceStore';
import {
  PricingColumns,
  RepricedRow,
  RepricingFilter,
  RepricingRecord,
  UsageStore,
} from '../database/UsageStore';
import { formatPico } from './money';
import { PriceBook } from './PriceBook';
import { priceUsage } from './priceUsage';
import { ServiceTier } from './types';

/** Records read and written per batch. */
export const DEFAULT_REPRICE_BATCH_SIZE = 1000;

const PRICING_COLUMNS: Array<keyof PricingColumns> = [
  'cost_pico',
  'currency',
  'list_cost_pico',
  'list_currency',
  'price_id',
  'override_id',
  'pricing_note',
  'unpriced_reason',
  'cost_mismatch',
];

/** Counts of a repricing run, in pico-units for amounts. */
interface RepriceTally {
  records: number;
  changed: number;
  stored: number;
  costBeforePico: bigint;
  costAfterPico: bigint;
  unpricedBefore: number;
  unpricedAfter: number;
  /** Changed records per `fromPriceId`/`toPriceId` pair. */
  transitions: Map<string, PriceVersionChange>;
}

/**
 * Prices the stored usage records of a filter again with `priceBook` and
 * stores the records whose pricing changed, in batches. Records are never
 * repriced otherwise: they keep the price version they were stored with.
 *
 * A run that is not a dry run writes one audit entry with the counts and
 * amounts, also when it fails after storing some batches. A dry run
 * computes the same response and stores nothing.
 */
export async function repriceUsage(options: {
  usageStore: UsageStore;
  priceStore: Pick<PriceStore, 'appendAudit'>;
  priceBook: PriceBook;
  filter: RepricingFilter;
  dryRun: boolean;
  /** User entity ref or service subject, for the audit log. */
  actor: string;
  /** Tolerance of priceUsage in percent, 1 when absent. */
  providerCostTolerancePercent?: string;
  batchSize?: number;
}): Promise<RepriceResponse> {
  const { usageStore, priceBook, filter, dryRun } = options;
  const batchSize = options.batchSize ?? DEFAULT_REPRICE_BATCH_SIZE;
  const tally: RepriceTally = {
    records: 0,
    changed: 0,
    stored: 0,
    costBeforePico: 0n,
    costAfterPico: 0n,
    unpricedBefore: 0,
    unpricedAfter: 0,
    transitions: new Map(),
  };

  try {
    let afterId = 0;
    for (;;) {
      const records = await usageStore.listRecordsForRepricing(
        filter,
        afterId,
        batchSize,
      );
      const changedRows = records.flatMap(record =>
        repriceRecord(record, priceBook, tally, options),
      );

      if (!dryRun && changedRows.length > 0) {
        await usageStore.updatePricing(changedRows);
        tally.stored += changedRows.length;
      }
      if (records.length < batchSize) {
        break;
      }
      afterId = records[records.length - 1].id;
    }
  } catch (error) {
    if (tally.stored > 0) {
      await audit(options, tally, String(error));
    }
    throw error;
  }

  if (!dryRun) {
    await audit(options, tally);
  }
  return toResponse(options, tally);
}

/** Prices one record, adds it to the tally and returns it when changed. */
function repriceRecord(
  record: RepricingRecord,
  priceBook: PriceBook,
  tally: RepriceTally,
  options: { providerCostTolerancePercent?: string },
): RepricedRow[] {
  const columns = priceUsage(
    priceBook,
    {
      provider: record.provider,
      model: record.model,
      timestamp: record.occurred_at,
      serviceTier: record.service_tier as ServiceTier,
      inputTokens: record.input_tokens,
      cachedInputTokens: record.cached_input_tokens,
      cacheWriteTokens: record.cache_write_tokens,
      cacheWrite1hTokens: record.cache_write_1h_tokens,
      inputAudioTokens: record.input_audio_tokens,
      inputImageTokens: record.input_image_tokens,
      outputTokens: record.output_tokens,
      reasoningTokens: record.reasoning_tokens,
      outputAudioTokens: record.output_audio_tokens,
      outputImageTokens: record.output_image_tokens,
      webSearchRequests: record.web_search_requests,
      providerCost: record.provider_cost ?? undefined,
      providerCostCurrency: record.provider_cost_currency ?? undefined,
      semanticCacheHit: record.semantic_cache_hit,
      // A call stored without usage stays unknown; its zero counts are not usage.
      usageReported: record.unpriced_reason !== 'no usage reported',
    },
    options.providerCostTolerancePercent,
  );

  tally.records += 1;
  // NOTE: stored costs are added as they are, like the entity cost sums, so
  // records stored under an earlier reporting currency count as the current.
  if (record.cost_pico === null) {
    tally.unpricedBefore += 1;
  } else {
    tally.costBeforePico += BigInt(record.cost_pico);
  }
  if (columns.cost_pico === null) {
    tally.unpricedAfter += 1;
  } else {
    tally.costAfterPico += BigInt(columns.cost_pico);
  }

  const changed = PRICING_COLUMNS.some(
    column => record[column] !== columns[column],
  );
  if (!changed) {
    return [];
  }

  tally.changed += 1;
  const key = `${record.price_id}>${columns.price_id}`;
  const transition = tally.transitions.get(key) ?? {
    fromPriceId: record.price_id,
    toPriceId: columns.price_id,
    records: 0,
  };
  transition.records += 1;
  tally.transitions.set(key, transition);

  return [{ id: record.id, ...columns }];
}

function toResponse(
  options: {
    filter: RepricingFilter;
    dryRun: boolean;
    priceBook: PriceBook;
  },
  tally: RepriceTally,
): RepriceResponse {
  const { filter } = options;
  const byPriceVersion = [...tally.transitions.values()].sort(
    (a, b) =>
      (a.fromPriceId ?? 0) - (b.fromPriceId ?? 0) ||
      (a.toPriceId ?? 0) - (b.toPriceId ?? 0),
  );

  return {
    from: filter.fromDate,
    to: filter.toDate,
    entityRef: filter.entityRef ?? null,
    provider: filter.provider ?? null,
    model: filter.model ?? null,
    dryRun: options.dryRun,
    currency: options.priceBook.reportingCurrency,
    records: tally.records,
    changed: tally.changed,
    unchangedCount: tally.records - tally.changed,
    costBefore: formatPico(tally.costBeforePico),
    costAfter: formatPico(tally.costAfterPico),
    difference: formatPico(tally.costAfterPico - tally.costBeforePico),
    unpricedBefore: tally.unpricedBefore,
    unpricedAfter: tally.unpricedAfter,
    byPriceVersion,
  };
}

async function audit(
  options: {
    priceStore: Pick<PriceStore, 'appendAudit'>;
    filter: RepricingFilter;
    dryRun: boolean;
    priceBook: PriceBook;
    actor: string;
  },
  tally: RepriceTally,
  error?: string,
): Promise<void> {
  const { filter } = options;
  const scope = [
    filter.entityRef && `of ${filter.entityRef}`,
    filter.provider && `provider ${filter.provider}`,
    filter.model && `model ${filter.model}`,
  ].filter(Boolean);
  const response = toResponse(options, tally);

  await options.priceStore.appendAudit({
    actor: options.actor,
    action: 'usage.reprice',
    subject: [`usage from ${filter.fromDate} to ${filter.toDate}`, ...scope]
      .join(' ')
      .slice(0, 500),
    details: error
      ? { ...response, failed: error, storedBeforeFailure: tally.stored }
      : { ...response },
  });
}
