import {
  EntityCostResponse,
  UsageTotals,
} from '@ai-cost/plugin-ai-cost-common';
import { UsageStore, UsageSums } from '../database/UsageStore';
import { formatPico } from '../pricing/money';

/** Length of the default range, in days. */
export const DEFAULT_RANGE_DAYS = 90;

const MILLIS_PER_DAY = 86_400_000;

/** Range options of a cost query; dates are UTC days, `YYYY-MM-DD`. */
export interface CostRange {
  from?: string;
  to?: string;
  days?: number;
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
  const today = toDay(now.getTime());
  const usageRange = await store.getUsageDateRange(entityRef);
  const { from, to } = resolveRange(options.range, today, usageRange?.last);

  const query = { entityRef, fromDate: from, toDate: to };
  const [daily, byModel] = await Promise.all([
    store.sumByDay(query),
    store.sumByModel(query),
  ]);

  const monthStart = `${today.slice(0, 7)}-01`;
  const monthDays = await store.sumByDay({
    entityRef,
    fromDate: monthStart,
    toDate: today,
  });

  return {
    entityRef,
    currency: options.currency,
    from,
    to,
    firstUsageDate: usageRange?.first ?? null,
    lastUsageDate: usageRange?.last ?? null,
    totals: toTotals(addSums(daily)),
    monthToDate: {
      from: monthStart,
      to: today,
      ...toTotals(addSums(monthDays)),
    },
    daily: daily.map(day => ({ date: day.date, ...toTotals(day) })),
    byModel: byModel.map(model => ({
      provider: model.provider,
      model: model.model,
      ...toTotals(model),
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
    return { from: range.from ?? addDays(to, -(days - 1)), to };
  }

  const windowStart = addDays(today, -(days - 1));
  const to =
    lastUsageDate && lastUsageDate < windowStart ? lastUsageDate : today;
  return { from: addDays(to, -(days - 1)), to };
}

function addSums(rows: UsageSums[]): UsageSums {
  const total: UsageSums = {
    requests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    unpricedRequests: 0,
    costPico: 0n,
  };
  for (const row of rows) {
    total.requests += row.requests;
    total.inputTokens += row.inputTokens;
    total.cachedInputTokens += row.cachedInputTokens;
    total.outputTokens += row.outputTokens;
    total.unpricedRequests += row.unpricedRequests;
    total.costPico += row.costPico;
  }
  return total;
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
