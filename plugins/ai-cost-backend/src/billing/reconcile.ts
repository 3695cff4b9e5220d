import {
  ReconciliationRow,
  ReconciliationTotal,
  UnmappedReconciliationRow,
} from '@ai-cost/plugin-ai-cost-common';
import { formatPico } from '../pricing/money';
import { compareText } from '../util/compareText';

/** A cost sum of one entity, or of unmapped cost, in one month and currency. */
export interface CostSum {
  /** Null for cost without an entity. */
  entityRef: string | null;
  /** UTC month, `YYYY-MM`. */
  month: string;
  currency: string;
  costPico: bigint;
}

/** Returns priced usage cost per entity, UTC month and currency. */
export type GetEstimatedCost = (
  fromMonth: string,
  toMonth: string,
) => Promise<CostSum[]>;

/** Estimated and billed cost side by side. */
export interface Reconciliation {
  entities: ReconciliationRow[];
  unmapped: UnmappedReconciliationRow[];
  totals: ReconciliationTotal[];
}

interface Pair {
  estimated: bigint;
  billed: bigint;
}

/**
 * Puts estimated cost (priced usage) beside billed cost (FOCUS BilledCost)
 * per entity, month and currency. Sums in different currencies stay in
 * separate rows and are never added. `difference` is billed minus
 * estimated, so a positive difference means the bill exceeds the
 * estimate. Rows are sorted by entity, month and currency.
 */
export function reconcile(
  estimated: CostSum[],
  billed: CostSum[],
): Reconciliation {
  const byEntity = new Map<string, Pair>();
  const unmapped = new Map<string, Pair>();

  for (const [sums, side] of [
    [estimated, 'estimated'],
    [billed, 'billed'],
  ] as const) {
    for (const sum of sums) {
      const target = sum.entityRef === null ? unmapped : byEntity;
      const key = JSON.stringify([sum.entityRef, sum.month, sum.currency]);
      const pair = target.get(key) ?? { estimated: 0n, billed: 0n };
      pair[side] += sum.costPico;
      target.set(key, pair);
    }
  }

  const entities = sortedEntries(byEntity).map(([key, pair]) => {
    const [entityRef, month, currency] = JSON.parse(key);
    return { entityRef, month, currency, ...compare(pair) };
  });
  const unmappedRows = sortedEntries(unmapped).map(([key, pair]) => {
    const [, month, currency] = JSON.parse(key);
    return {
      month,
      currency,
      estimatedCost: formatPico(pair.estimated),
      billedCost: formatPico(pair.billed),
    };
  });

  return {
    entities,
    unmapped: unmappedRows,
    totals: monthTotals(byEntity, unmapped),
  };
}

function monthTotals(
  byEntity: Map<string, Pair>,
  unmapped: Map<string, Pair>,
): ReconciliationTotal[] {
  const totals = new Map<
    string,
    { estimated: bigint; mapped: bigint; unmapped: bigint }
  >();
  for (const [map, mapped] of [
    [byEntity, true],
    [unmapped, false],
  ] as const) {
    for (const [key, pair] of map) {
      const [, month, currency] = JSON.parse(key);
      const totalKey = JSON.stringify([month, currency]);
      const total = totals.get(totalKey) ?? {
        estimated: 0n,
        mapped: 0n,
        unmapped: 0n,
      };
      total.estimated += pair.estimated;
      if (mapped) {
        total.mapped += pair.billed;
      } else {
        total.unmapped += pair.billed;
      }
      totals.set(totalKey, total);
    }
  }

  return sortedEntries(totals).map(([key, total]) => {
    const [month, currency] = JSON.parse(key);
    const billed = total.mapped + total.unmapped;
    return {
      month,
      currency,
      ...compare({ estimated: total.estimated, billed }),
      mappedBilledCost: formatPico(total.mapped),
      unmappedBilledCost: formatPico(total.unmapped),
      allocationCoveragePercent: percentOfTotal(total.mapped, billed),
    };
  });
}

function compare(pair: Pair) {
  const difference = pair.billed - pair.estimated;
  return {
    estimatedCost: formatPico(pair.estimated),
    billedCost: formatPico(pair.billed),
    difference: formatPico(difference),
    differencePercentOfBilled: percentOfTotal(difference, pair.billed),
  };
}

function sortedEntries<T>(map: Map<string, T>): Array<[string, T]> {
  return [...map.entries()].sort(([a], [b]) => compareText(a, b));
}

/**
 * Returns `part` as a percentage of `whole` with two decimals, rounded
 * half away from zero; null when `whole` is zero.
 */
export function percentOfTotal(part: bigint, whole: bigint): string | null {
  if (whole === 0n) {
    return null;
  }
  const negative = part < 0n !== whole < 0n && part !== 0n;
  const numerator = (part < 0n ? -part : part) * 10_000n;
  const denominator = whole < 0n ? -whole : whole;
  const hundredths = (numerator * 2n + denominator) / (denominator * 2n);
  const units = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  const sign = negative && hundredths !== 0n ? '-' : '';

  return `${sign}${units}.${fraction}`;
}
