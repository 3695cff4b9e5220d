import {
  AllocationResponse,
  EntityCostResponse,
  EntityReconciliationResponse,
  UsageTotals,
} from '@ai-cost/plugin-ai-cost-common';
import { Entity } from '@backstage/catalog-model';

/** A component with valid settings in every AI cost annotation it uses. */
export const pilotEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'support-assistant',
    namespace: 'default',
    annotations: {
      'ai-cost.io/phase': 'pilot',
      'ai-cost.io/cost-owner': 'group:default/support-ai',
      'ai-cost.io/cost-center': 'CC-4711',
      'ai-cost.io/budget': '2500 USD/month',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/platform',
    lifecycle: 'experimental',
  },
};

const noUsage: UsageTotals = {
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  unpricedRequests: 0,
  cost: '0',
};

/** A response for an entity without usage in the range. */
export const emptyCostResponse: EntityCostResponse = {
  entityRef: 'component:default/support-assistant',
  currency: 'USD',
  timeZone: 'UTC',
  from: '2025-10-14',
  to: '2026-01-11',
  firstUsageDate: null,
  lastUsageDate: null,
  totals: { ...noUsage, unpricedInputTokens: 0, unpricedOutputTokens: 0 },
  monthToDate: { ...noUsage, from: '2026-01-01', to: '2026-01-11' },
  daily: [],
  byModel: [],
};

/**
 * A response with two priced models and one model without a price. The
 * figures add up: totals are the sums of the models and of the days, and
 * the requests of each model are those of its price versions plus its
 * unpriced requests.
 */
export const costResponse: EntityCostResponse = {
  ...emptyCostResponse,
  firstUsageDate: '2025-12-20',
  lastUsageDate: '2026-01-05',
  totals: {
    requests: 1500,
    inputTokens: 3000000,
    cachedInputTokens: 500000,
    outputTokens: 400000,
    unpricedRequests: 150,
    unpricedInputTokens: 300000,
    unpricedOutputTokens: 20000,
    cost: '1500.123456789',
  },
  monthToDate: {
    from: '2026-01-01',
    to: '2026-01-11',
    requests: 1000,
    inputTokens: 2000000,
    cachedInputTokens: 300000,
    outputTokens: 250000,
    unpricedRequests: 100,
    cost: '1234.567891234',
  },
  daily: [
    {
      date: '2025-12-20',
      requests: 500,
      inputTokens: 1000000,
      cachedInputTokens: 200000,
      outputTokens: 150000,
      unpricedRequests: 50,
      cost: '265.555565555',
    },
    {
      date: '2026-01-05',
      requests: 1000,
      inputTokens: 2000000,
      cachedInputTokens: 300000,
      outputTokens: 250000,
      unpricedRequests: 100,
      cost: '1234.567891234',
    },
  ],
  byModel: [
    {
      provider: 'openai',
      model: 'gpt-4o',
      requests: 1000,
      inputTokens: 2000000,
      cachedInputTokens: 400000,
      outputTokens: 300000,
      unpricedRequests: 0,
      unpricedInputTokens: 0,
      unpricedOutputTokens: 0,
      cost: '1200.1',
      unpricedReasons: [],
      priceVersions: [
        {
          id: 12,
          effectiveFrom: '2024-05-13T00:00:00.000Z',
          source: 'openai.com/api/pricing, 2025-12-01',
          sourceKind: 'catalog',
          requests: 600,
        },
        {
          id: 31,
          effectiveFrom: '2025-12-15T00:00:00.000Z',
          source: null,
          sourceKind: 'api',
          requests: 400,
        },
      ],
    },
    {
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      requests: 350,
      inputTokens: 700000,
      cachedInputTokens: 100000,
      outputTokens: 80000,
      unpricedRequests: 0,
      unpricedInputTokens: 0,
      unpricedOutputTokens: 0,
      cost: '300.023456789',
      unpricedReasons: [],
      priceVersions: [
        {
          id: 7,
          effectiveFrom: '2025-05-22T00:00:00.000Z',
          source: 'anthropic.com/pricing, 2025-12-01',
          sourceKind: 'catalog',
          requests: 350,
        },
      ],
    },
    {
      provider: 'acme',
      model: 'in-house-7b',
      requests: 150,
      inputTokens: 300000,
      cachedInputTokens: 0,
      outputTokens: 20000,
      unpricedRequests: 150,
      unpricedInputTokens: 300000,
      unpricedOutputTokens: 20000,
      cost: '0',
      unpricedReasons: [{ reason: 'no price for model', requests: 150 }],
      priceVersions: [],
    },
  ],
};

/**
 * Allocation coverage in two currencies. The percentages are those the
 * backend computes, two decimals rounded half away from zero:
 * USD usage 1500.123456789 / 2000 = 75.0062%, billing 1620.5 / 2000 =
 * 81.025%, both 3120.623456789 / 4000 = 78.0156%.
 */
export const allocationResponse: AllocationResponse = {
  from: '2025-10',
  to: '2026-01',
  allocatedRequests: 1350,
  unallocatedRequests: 420,
  currencies: [
    {
      currency: 'EUR',
      allocatedUsageCost: '10',
      unallocatedUsageCost: '0',
      mappedBilledCost: '0',
      unmappedBilledCost: '0',
      usageCoveragePercent: '100.00',
      billingCoveragePercent: null,
      coveragePercent: '100.00',
    },
    {
      currency: 'USD',
      allocatedUsageCost: '1500.123456789',
      unallocatedUsageCost: '499.876543211',
      mappedBilledCost: '1620.5',
      unmappedBilledCost: '379.5',
      usageCoveragePercent: '75.01',
      billingCoveragePercent: '81.03',
      coveragePercent: '78.02',
    },
  ],
};

/** Allocation coverage of months without priced usage or billed cost. */
export const emptyAllocationResponse: AllocationResponse = {
  from: '2025-10',
  to: '2026-01',
  allocatedRequests: 0,
  unallocatedRequests: 150,
  currencies: [],
};

/**
 * Estimated and billed cost of support-assistant in two months. The
 * estimates are the daily costs of `costResponse`. The difference is billed
 * minus estimated, and its share is the difference over billed cost:
 * 14.694434445 / 280.25 = 5.2433% and -34.567891234 / 1200 = -2.8807%.
 */
export const reconciliationResponse: EntityReconciliationResponse = {
  entityRef: 'component:default/support-assistant',
  from: '2025-10',
  to: '2026-01',
  months: [
    {
      entityRef: 'component:default/support-assistant',
      month: '2025-12',
      currency: 'USD',
      estimatedCost: '265.555565555',
      billedCost: '280.25',
      difference: '14.694434445',
      differencePercentOfBilled: '5.24',
    },
    {
      entityRef: 'component:default/support-assistant',
      month: '2026-01',
      currency: 'USD',
      estimatedCost: '1234.567891234',
      billedCost: '1200',
      difference: '-34.567891234',
      differencePercentOfBilled: '-2.88',
    },
  ],
};

/** Reconciliation of an entity with usage but no billed cost. */
export const unbilledReconciliationResponse: EntityReconciliationResponse = {
  entityRef: 'component:default/support-assistant',
  from: '2025-10',
  to: '2026-01',
  months: [
    {
      entityRef: 'component:default/support-assistant',
      month: '2026-01',
      currency: 'USD',
      estimatedCost: '1234.567891234',
      billedCost: '0',
      difference: '-1234.567891234',
      differencePercentOfBilled: null,
    },
  ],
};
