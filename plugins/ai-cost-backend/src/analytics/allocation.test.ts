import { getAllocation } from './allocation';
import { AllocationSums } from '../database/UsageStore';
import { BilledCostSum } from '../billing/BillingStore';

const RANGE = { fromMonth: '2026-10', toMonth: '2026-11' };

/** One dollar in pico-units. */
const DOLLAR = 1_000_000_000_000n;

function allocationOf(usage: AllocationSums[], billed: BilledCostSum[]) {
  return getAllocation({
    usageStore: { sumAllocation: async () => usage },
    getBilledCost: async () => billed,
    range: RANGE,
  });
}

describe('getAllocation', () => {
  it('combines usage and billed cost', async () => {
    const result = await allocationOf(
      [
        {
          currency: 'USD',
          allocatedRequests: 90,
          unallocatedRequests: 10,
          allocatedCostPico: 30n * DOLLAR,
          unallocatedCostPico: 10n * DOLLAR,
        },
        {
          currency: '',
          allocatedRequests: 2,
          unallocatedRequests: 3,
          allocatedCostPico: 0n,
          unallocatedCostPico: 0n,
        },
      ],
      [
        {
          entityRef: 'component:default/support-assistant',
          month: '2026-10',
          currency: 'USD',
          billedCostPico: 45n * DOLLAR,
          rows: 3,
        },
        {
          entityRef: null,
          month: '2026-11',
          currency: 'USD',
          billedCostPico: 15n * DOLLAR,
          rows: 1,
        },
      ],
    );

    expect(result).toEqual({
      from: '2026-10',
      to: '2026-11',
      allocatedRequests: 92,
      unallocatedRequests: 13,
      currencies: [
        {
          currency: 'USD',
          allocatedUsageCost: '30',
          unallocatedUsageCost: '10',
          mappedBilledCost: '45',
          unmappedBilledCost: '15',
          usageCoveragePercent: '75.00',
          billingCoveragePercent: '75.00',
          // (30 + 45) / (40 + 60)
          coveragePercent: '75.00',
        },
      ],
    });
  });

  it('keeps currencies apart', async () => {
    const result = await allocationOf(
      [
        {
          currency: 'USD',
          allocatedRequests: 1,
          unallocatedRequests: 2,
          allocatedCostPico: 1n,
          unallocatedCostPico: 2n,
        },
      ],
      [
        {
          entityRef: null,
          month: '2026-10',
          currency: 'EUR',
          billedCostPico: 5n * DOLLAR,
          rows: 1,
        },
      ],
    );

    expect(result.currencies.map(coverage => coverage.currency)).toEqual([
      'EUR',
      'USD',
    ]);
    expect(result.currencies[0]).toEqual({
      currency: 'EUR',
      allocatedUsageCost: '0',
      unallocatedUsageCost: '0',
      mappedBilledCost: '0',
      unmappedBilledCost: '5',
      usageCoveragePercent: null,
      billingCoveragePercent: '0.00',
      coveragePercent: '0.00',
    });
    expect(result.currencies[1].coveragePercent).toBe('33.33');
  });

  it('reports no coverage without cost', async () => {
    const result = await allocationOf([], []);

    expect(result.currencies).toEqual([]);
    expect(result.allocatedRequests).toBe(0);
  });
});
