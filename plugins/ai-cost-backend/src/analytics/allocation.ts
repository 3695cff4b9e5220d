import {
  AllocationCoverage,
  AllocationResponse,
} from '@ai-cost/plugin-ai-cost-common';
import { BilledCostSum, MonthRange } from '../billing/BillingStore';
import { percentOfTotal } from '../billing/reconcile';
import { UsageStore } from '../database/UsageStore';
import { formatPico } from '../pricing/money';

interface CurrencySums {
  allocatedUsage: bigint;
  unallocatedUsage: bigint;
  mappedBilled: bigint;
  unmappedBilled: bigint;
}

/**
 * Computes cost allocation coverage over a range of UTC months: the cost
 * that a catalog entity owns divided by all AI cost seen, from priced usage
 * and from FOCUS billed cost, per currency.
 */
export async function getAllocation(options: {
  usageStore: Pick<UsageStore, 'sumAllocation'>;
  getBilledCost: (range: MonthRange) => Promise<BilledCostSum[]>;
  range: MonthRange;
}): Promise<AllocationResponse> {
  const { fromMonth, toMonth } = options.range;
  const [usage, billed] = await Promise.all([
    // Day strings compare as text, so day 31 ends every month.
    options.usageStore.sumAllocation(`${fromMonth}-01`, `${toMonth}-31`),
    options.getBilledCost(options.range),
  ]);

  const byCurrency = new Map<string, CurrencySums>();
  const sumsOf = (currency: string) => {
    let sums = byCurrency.get(currency);
    if (!sums) {
      sums = {
        allocatedUsage: 0n,
        unallocatedUsage: 0n,
        mappedBilled: 0n,
        unmappedBilled: 0n,
      };
      byCurrency.set(currency, sums);
    }
    return sums;
  };

  let allocatedRequests = 0;
  let unallocatedRequests = 0;
  for (const row of usage) {
    allocatedRequests += row.allocatedRequests;
    unallocatedRequests += row.unallocatedRequests;
    // Unpriced requests have no currency and no cost.
    if (row.currency !== '') {
      const sums = sumsOf(row.currency);
      sums.allocatedUsage += row.allocatedCostPico;
      sums.unallocatedUsage += row.unallocatedCostPico;
    }
  }
  for (const row of billed) {
    const sums = sumsOf(row.currency);
    if (row.entityRef === null) {
      sums.unmappedBilled += row.billedCostPico;
    } else {
      sums.mappedBilled += row.billedCostPico;
    }
  }

  const currencies: AllocationCoverage[] = [...byCurrency.keys()]
    .sort()
    .map(currency => toCoverage(currency, byCurrency.get(currency)!));

  return {
    from: fromMonth,
    to: toMonth,
    allocatedRequests,
    unallocatedRequests,
    currencies,
  };
}

function toCoverage(currency: string, sums: CurrencySums): AllocationCoverage {
  const usage = sums.allocatedUsage + sums.unallocatedUsage;
  const billed = sums.mappedBilled + sums.unmappedBilled;
  return {
    currency,
    allocatedUsageCost: formatPico(sums.allocatedUsage),
    unallocatedUsageCost: formatPico(sums.unallocatedUsage),
    mappedBilledCost: formatPico(sums.mappedBilled),
    unmappedBilledCost: formatPico(sums.unmappedBilled),
    usageCoveragePercent: percentOfTotal(sums.allocatedUsage, usage),
    billingCoveragePercent: percentOfTotal(sums.mappedBilled, billed),
    coveragePercent: percentOfTotal(
      sums.allocatedUsage + sums.mappedBilled,
      usage + billed,
    ),
  };
}
