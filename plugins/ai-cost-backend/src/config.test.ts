import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { readAiCostConfig } from './config';

function read(aiCost: JsonObject) {
  return readAiCostConfig(new ConfigReader({ aiCost }));
}

describe('readAiCostConfig', () => {
  it('applies defaults', () => {
    expect(readAiCostConfig(new ConfigReader({}))).toEqual({
      currency: 'USD',
      prices: [],
      useCuratedCatalog: true,
      overrides: [],
      exchangeRates: [],
      modelAliases: [],
      providerCostTolerancePercent: '1',
      demo: { enabled: false, days: 90 },
      azureTrace: {},
    });
  });

  it('parses prices', () => {
    const config = read({
      prices: [
        {
          provider: 'openai',
          model: 'gpt-4o',
          effectiveFrom: '2024-05-13',
          currency: 'USD',
          input: '2.50',
          output: 10,
        },
      ],
    });

    expect(config.prices[0].schedules.standard.rates).toEqual({
      input: 2_500_000n,
      output: 10_000_000n,
    });
  });

  it('names invalid price entry', () => {
    expect(() =>
      read({
        prices: [
          {
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: '2024-05-13',
            currency: 'USD',
            input: '-1',
            output: '10',
          },
        ],
      }),
    ).toThrow(
      'Invalid price openai/gpt-4o standard input: "-1"; use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"',
    );
  });

  it('reads exchange rates', () => {
    const config = read({
      exchangeRates: [{ currency: 'EUR', date: '2026-03-01', rate: '1.0842' }],
    });

    expect(config.exchangeRates).toEqual([
      { currency: 'EUR', date: '2026-03-01', rate: '1.0842' },
    ]);
  });

  it.each([
    [
      'currency',
      { currency: 'euro' },
      'Invalid aiCost.currency "euro"; use a 3-letter ISO 4217 code such as USD',
    ],
    [
      'tolerance',
      { providerCostTolerancePercent: 'one' },
      'Invalid aiCost.providerCostTolerancePercent "one"; use a percentage such as "1" or "0.5"',
    ],
  ])('rejects invalid %s', (_case, aiCost, message) => {
    expect(() => read(aiCost)).toThrow(InputError);
    expect(() => read(aiCost)).toThrow(message);
  });

  describe('overrides', () => {
    const discount = {
      provider: 'azure',
      model: 'gpt-4o',
      effectiveFrom: '2026-01-01',
      effectiveTo: '2027-01-01',
      discountPercent: '12.5',
    };

    it('reads discount override', () => {
      expect(read({ overrides: [discount] }).overrides).toEqual([
        {
          provider: 'azure',
          model: 'gpt-4o',
          effectiveFrom: '2026-01-01',
          effectiveTo: '2027-01-01',
          discountPercent: '12.5',
          currency: undefined,
          schedules: undefined,
        },
      ]);
    });

    it('reads explicit prices', () => {
      const [override] = read({
        overrides: [
          {
            provider: 'azure',
            effectiveFrom: '2026-01-01',
            prices: { currency: 'EUR', input: '2', output: '8' },
          },
        ],
      }).overrides;

      expect(override.currency).toBe('EUR');
      expect(override.schedules).toEqual({
        standard: {
          rates: { input: 2_000_000n, output: 8_000_000n },
          tiers: [],
        },
      });
      expect(override.model).toBeUndefined();
    });

    it.each([
      [
        'both kinds',
        {
          ...discount,
          prices: { currency: 'USD', input: '2', output: '8' },
        },
        'Invalid override of azure/gpt-4o: set either discountPercent or prices',
      ],
      [
        'neither kind',
        {
          provider: 'azure',
          model: 'gpt-4o',
          effectiveFrom: '2026-01-01',
        },
        'Invalid override of azure/gpt-4o: set either discountPercent or prices',
      ],
      [
        'discount above 100',
        { ...discount, discountPercent: '150' },
        'Invalid override of azure/gpt-4o: discountPercent "150" is above 100',
      ],
      [
        'malformed discount',
        { ...discount, discountPercent: '15%' },
        'Invalid override of azure/gpt-4o: discountPercent "15%" is not a percentage from 0 to 100 with at most 4 decimals',
      ],
      [
        'invalid explicit price',
        {
          provider: 'azure',
          effectiveFrom: '2026-01-01',
          prices: { currency: 'USD', input: 'x', output: '8' },
        },
        'Invalid price azure/* standard input: "x";',
      ],
    ])('rejects %s', (_case, override, message) => {
      expect(() => read({ overrides: [override as JsonObject] })).toThrow(
        message,
      );
    });
  });

  it('reads model aliases', () => {
    const config = read({
      modelAliases: [
        {
          provider: 'azure',
          name: 'prod-chat',
          targetProvider: 'azure',
          targetModel: 'gpt-4o',
        },
        {
          name: 'default-model',
          targetProvider: 'openai',
          targetModel: 'gpt-4o-mini',
        },
      ],
    });

    expect(config.modelAliases).toEqual([
      {
        provider: 'azure',
        name: 'prod-chat',
        targetProvider: 'azure',
        targetModel: 'gpt-4o',
      },
      {
        provider: undefined,
        name: 'default-model',
        targetProvider: 'openai',
        targetModel: 'gpt-4o-mini',
      },
    ]);
  });
});
