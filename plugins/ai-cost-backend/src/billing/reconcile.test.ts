import { percentOfTotal, reconcile } from './reconcile';

const CHAT = 'component:default/chat';
const SEARCH = 'component:default/search';
const PICO = 1_000_000_000_000n;

describe('reconcile', () => {
  const estimated = [
    {
      entityRef: CHAT,
      month: '2024-09',
      currency: 'USD',
      costPico: 80n * PICO,
    },
    { entityRef: CHAT, month: '2024-09', currency: 'EUR', costPico: 5n * PICO },
    {
      entityRef: SEARCH,
      month: '2024-10',
      currency: 'USD',
      costPico: 3n * PICO,
    },
    { entityRef: null, month: '2024-09', currency: 'USD', costPico: 2n * PICO },
  ];
  const billed = [
    // 100 billed, 80 estimated: difference 20, 20 % of billed.
    {
      entityRef: CHAT,
      month: '2024-09',
      currency: 'USD',
      costPico: 100n * PICO,
    },
    // A credit larger than the charge gives a negative bill.
    {
      entityRef: SEARCH,
      month: '2024-10',
      currency: 'USD',
      costPico: -(PICO / 2n),
    },
    {
      entityRef: null,
      month: '2024-09',
      currency: 'USD',
      costPico: 25n * PICO,
    },
  ];

  const result = reconcile(estimated, billed);

  it('pairs entity month and currency', () => {
    expect(result.entities).toEqual([
      {
        entityRef: CHAT,
        month: '2024-09',
        currency: 'EUR',
        estimatedCost: '5',
        billedCost: '0',
        difference: '-5',
        differencePercentOfBilled: null,
      },
      {
        entityRef: CHAT,
        month: '2024-09',
        currency: 'USD',
        estimatedCost: '80',
        billedCost: '100',
        difference: '20',
        differencePercentOfBilled: '20.00',
      },
      {
        entityRef: SEARCH,
        month: '2024-10',
        currency: 'USD',
        estimatedCost: '3',
        billedCost: '-0.5',
        difference: '-3.5',
        // -3.5 / -0.5 = 7, so 700 %.
        differencePercentOfBilled: '700.00',
      },
    ]);
  });

  it('lists unmapped cost apart', () => {
    expect(result.unmapped).toEqual([
      {
        month: '2024-09',
        currency: 'USD',
        estimatedCost: '2',
        billedCost: '25',
      },
    ]);
  });

  it('totals months with coverage', () => {
    expect(result.totals).toEqual([
      {
        month: '2024-09',
        currency: 'EUR',
        estimatedCost: '5',
        billedCost: '0',
        difference: '-5',
        differencePercentOfBilled: null,
        mappedBilledCost: '0',
        unmappedBilledCost: '0',
        allocationCoveragePercent: null,
      },
      {
        // Estimated 80 + 2, billed 100 + 25: 43 / 125 = 34.4 %, 100 / 125 = 80 %.
        month: '2024-09',
        currency: 'USD',
        estimatedCost: '82',
        billedCost: '125',
        difference: '43',
        differencePercentOfBilled: '34.40',
        mappedBilledCost: '100',
        unmappedBilledCost: '25',
        allocationCoveragePercent: '80.00',
      },
      {
        month: '2024-10',
        currency: 'USD',
        estimatedCost: '3',
        billedCost: '-0.5',
        difference: '-3.5',
        differencePercentOfBilled: '700.00',
        mappedBilledCost: '-0.5',
        unmappedBilledCost: '0',
        allocationCoveragePercent: '100.00',
      },
    ]);
  });

  it('adds sums of the same key', () => {
    const doubled = reconcile([], [...billed, ...billed]);

    expect(doubled.entities[0].billedCost).toBe('200');
  });
});

describe('percentOfTotal', () => {
  it.each([
    [1n, 3n, '33.33'],
    [2n, 3n, '66.67'],
    [-1n, 3n, '-33.33'],
    [1n, -8n, '-12.50'],
    [1n, 200_000n, '0.00'],
    [1n, 20_000n, '0.01'],
    [-1n, 20_000n, '-0.01'],
  ])('%p of %p is %p', (part, whole, expected) => {
    expect(percentOfTotal(part, whole)).toBe(expected);
  });
});
