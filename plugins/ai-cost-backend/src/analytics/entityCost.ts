import { InputError } from '@backstage/errors';
import {
  EntityCostResponse,
  ModelCost,
  PriceVersionUsage,
  UnpricedVolume,
  UsageTotals,
} from '@ai-cost/plugin-ai-cost-common';
import {
  PricingSums,
  UsageStore,
  UsageSums,
  addUsageSums,
} from '../database/UsageStore';
import { formatPico } from '../pricing/money';
import { localDate } from '../database/localDays';

/** Length of the default range, in days. */
export const DEFAULT_RANGE_DAYS = 90;

const MILLIS_PER_DAY = 86_400_000;

/**
 * Range options of a cost query; dates are `YYYY-MM-DD` days of the time
 * zone, an IANA name, or UTC days without one.
 */
export interface CostRange {
  from?: string;
  to?: string;
  days?: number;
  timeZone?: string;
}

/**
 * Builds the cost summary of one entity: totals, month to date, daily
 * costs and costs per model, all in exact decimal strings.
 */
export async function getEntityCost(options: {
  store: UsageStore;
  entityRef: string;
  currency: string;
  range: CostRange;
  now: Date;
}): Promise<EntityCostResponse> {
  const { store, entityRef, now } = options;
  const { timeZone } = options.range;
  const today = timeZone
    ? localDate(now.getTime(), timeZone)
    : toDay(now.getTime());
  const usageRange = await store.getUsageDateRange(entityRef);
  const { from, to } = resolveRange(options.range, today, usageRange?.last);

  const query = { entityRef, fromDate: from, toDate: to, timeZone };
  const [daily, byModel, byPricing] = await Promise.all([
    store.sumByDay(query),
    store.sumByModel(query),
    store.sumByPricing(query),
  ]);
  const pricing = summarizePricing(byPricing);

  const monthStart = `${today.slice(0, 7)}-01`;
  const monthDays = await store.sumByDay({
    entityRef,
    fromDate: monthStart,
    toDate: today,
    timeZone,
  });

  return {
    entityRef,
    currency: options.currency,
    timeZone: timeZone ?? 'UTC',
    from,
    to,
    firstUsageDate: usageRange?.first ?? null,
    lastUsageDate: usageRange?.last ?? null,
    totals: {
      ...toTotals(addUsageSums(daily)),
      unpricedInputTokens: pricing.total.unpricedInputTokens,
      unpricedOutputTokens: pricing.total.unpricedOutputTokens,
    },
    monthToDate: {
      from: monthStart,
      to: today,
      ...toTotals(addUsageSums(monthDays)),
    },
    daily: daily.map(day => ({ date: day.date, ...toTotals(day) })),
    byModel: byModel.map(model => ({
      provider: model.provider,
      model: model.model,
      ...toTotals(model),
      ...toModelPricing(
        pricing.byModel.get(modelKey(model.provider, model.model)),
      ),
    })),
  };
}

/**
 * Resolves the range of a cost query. Explicit `from` and `to` win.
 * Otherwise the range is the `days` up to today, or up to the last usage
 * day when the entity has no usage in that window.
 */
export function resolveRange(
  range: CostRange,
  today: string,
  lastUsageDate: string | undefined,
): { from: string; to: string } {
  const days = range.days ?? DEFAULT_RANGE_DAYS;

  if (range.from || range.to) {
    const to = range.to ?? today;
    const from = range.from ?? addDays(to, -(days - 1));
    if (from > to) {
      throw new InputError(
        `Invalid range: from ${from} is after to ${to}; set to, or a from on or before ${to}`,
      );
    }
    return { from, to };
  }

  const windowStart = addDays(today, -(days - 1));
  const to =
    lastUsageDate && lastUsageDate < windowStart ? lastUsageDate : today;
  return { from: addDays(to, -(days - 1)), to };
}

function toTotals(sums: UsageSums): UsageTotals {
  return {
    requests: sums.requests,
    inputTokens: sums.inputTokens,
    cachedInputTokens: sums.cachedInputTokens,
    outputTokens: sums.outputTokens,
    unpricedRequests: sums.unpricedRequests,
    cost: formatPico(sums.costPico),
  };
}

/** UTC day of an instant in epoch milliseconds. */
export function toDay(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return toDay(Date.parse(`${day}T00:00:00Z`) + days * MILLIS_PER_DAY);
}

/** Unpriced volume and price versions of one model. */
interface ModelPricing extends UnpricedVolume {
  reasons: Map<string, number>;
  versions: Map<number, PriceVersionUsage>;
}

/** Requests of unpriced records that carry no reason. */
const UNKNOWN_REASON = 'unknown';

/**
 * Adds up the rows of sumByPricing per model, and the unpriced tokens of
 * all models.
 */
function summarizePricing(rows: PricingSums[]): {
  byModel: Map<string, ModelPricing>;
  total: UnpricedVolume;
} {
  const byModel = new Map<string, ModelPricing>();
  const total: UnpricedVolume = {
    unpricedInputTokens: 0,
    unpricedOutputTokens: 0,
  };

  for (const row of rows) {
    const key = modelKey(row.provider, row.model);
    const model = byModel.get(key) ?? {
      unpricedInputTokens: 0,
      unpricedOutputTokens: 0,
      reasons: new Map(),
      versions: new Map(),
    };
    byModel.set(key, model);

    model.unpricedInputTokens += row.unpricedInputTokens;
    model.unpricedOutputTokens += row.unpricedOutputTokens;
    total.unpricedInputTokens += row.unpricedInputTokens;
    total.unpricedOutputTokens += row.unpricedOutputTokens;

    if (row.unpricedRequests > 0) {
      const reason = row.unpricedReason ?? UNKNOWN_REASON;
      model.reasons.set(
        reason,
        (model.reasons.get(reason) ?? 0) + row.unpricedRequests,
      );
    }

    const pricedRequests = row.requests - row.unpricedRequests;
    if (row.priceId !== null && pricedRequests > 0) {
      const version = model.versions.get(row.priceId) ?? {
        id: row.priceId,
        effectiveFrom: row.priceEffectiveFrom ?? '',
        source: row.priceSource,
        sourceKind: row.priceSourceKind ?? '',
        requests: 0,
      };
      version.requests += pricedRequests;
      model.versions.set(row.priceId, version);
    }
  }
  return { byModel, total };
}

function toModelPricing(
  pricing: ModelPricing | undefined,
): Pick<
  ModelCost,
  | 'unpricedInputTokens'
  | 'unpricedOutputTokens'
  | 'unpricedReasons'
  | 'priceVersions'
> {
  const reasons = [...(pricing?.reasons ?? new Map<string, number>())];
  const versions = [...(pricing?.versions.values() ?? [])];

  return {
    unpricedInputTokens: pricing?.unpricedInputTokens ?? 0,
    unpricedOutputTokens: pricing?.unpricedOutputTokens ?? 0,
    unpricedReasons: reasons
      .map(([reason, requests]) => ({ reason, requests }))
      .sort(
        (a, b) => b.requests - a.requests || a.reason.localeCompare(b.reason),
      ),
    priceVersions: versions.sort(
      (a, b) => b.requests - a.requests || a.id - b.id,
    ),
  };
}

function modelKey(provider: string, model: string): string {
  return `${provider}\u0000${model}`;
}
