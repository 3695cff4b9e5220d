import { InputError } from '@backstage/errors';
import { PriceInput, parsePriceInput } from './priceSheet';

const PER_MILLION =
  'use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"';

const GPT_4O: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
  source: 'openai.com/api/pricing',
};

describe('parsePriceInput', () => {
  it('parses standard prices', () => {
    expect(parsePriceInput(GPT_4O)).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      effectiveTo: undefined,
      currency: 'USD',
      schedules: {
        standard: {
          rates: {
            input: 2_500_000n,
            cachedInput: 1_250_000n,
            output: 10_000_000n,
          },
          tiers: [],
        },
      },
      dynamic: false,
      source: 'openai.com/api/pricing',
    });
  });

  it('normalises dates to UTC', () => {
    const parsed = parsePriceInput({
      ...GPT_4O,
      effectiveTo: '2026-08-21T00:00:00+02:00',
    });

    expect(parsed.effectiveTo).toBe('2026-08-20T22:00:00.000Z');
  });

  it('trims provider and model', () => {
    const parsed = parsePriceInput({
      ...GPT_4O,
      provider: ' openai ',
      model: ' gpt-4o ',
    });

    expect([parsed.provider, parsed.model]).toEqual(['openai', 'gpt-4o']);
  });

  it('keeps dynamic flag', () => {
    expect(parsePriceInput({ ...GPT_4O, dynamic: true }).dynamic).toBe(true);
  });

  it('parses other service tiers', () => {
    const parsed = parsePriceInput({
      ...GPT_4O,
      batch: { input: '1.25', output: '5' },
      flex: { input: '1.25', output: '5' },
      priority: { input: '4.25', output: '17' },
    });

    expect(parsed.schedules.priority).toEqual({
      rates: { input: 4_250_000n, output: 17_000_000n },
      tiers: [],
    });
    expect(Object.keys(parsed.schedules)).toEqual([
      'standard',
      'batch',
      'flex',
      'priority',
    ]);
  });

  it('parses charges per unit', () => {
    const parsed = parsePriceInput({
      ...GPT_4O,
      request: '0.001',
      webSearch: '0.025',
    });

    expect(parsed.schedules.standard.rates).toMatchObject({
      request: 1_000_000_000n,
      webSearch: 25_000_000_000n,
    });
  });

  describe('tiers', () => {
    const parsed = parsePriceInput({
      ...GPT_4O,
      tiers: [
        { aboveInputTokens: 1_000_000, input: '20', output: '60' },
        { aboveInputTokens: 200_000, input: '5', output: '15' },
      ],
    });

    it('sorts by threshold', () => {
      expect(
        parsed.schedules.standard.tiers.map(tier => tier.aboveInputTokens),
      ).toEqual([200_000, 1_000_000]);
    });

    it('inherits unset base rates', () => {
      expect(parsed.schedules.standard.tiers[0].rates).toEqual({
        input: 5_000_000n,
        cachedInput: 1_250_000n,
        output: 15_000_000n,
      });
    });
  });

  describe('validation', () => {
    it.each([
      [
        'missing provider',
        { provider: '' },
        'Invalid price "/gpt-4o": provider and model are required',
      ],
      [
        'lower-case currency',
        { currency: 'usd' },
        'Invalid price openai/gpt-4o: currency "usd" is not a 3-letter ISO 4217 code such as USD',
      ],
      [
        'invalid effectiveFrom',
        { effectiveFrom: 'soon' },
        'Invalid price openai/gpt-4o effectiveFrom "soon"; use an ISO 8601 date such as 2026-01-31',
      ],
      [
        'invalid effectiveTo',
        { effectiveTo: 'later' },
        'Invalid price openai/gpt-4o effectiveTo "later"; use an ISO 8601 date such as 2026-01-31',
      ],
      [
        'effectiveTo before effectiveFrom',
        { effectiveTo: '2025-12-31' },
        'Invalid price openai/gpt-4o: effectiveTo 2025-12-31T00:00:00.000Z is not after effectiveFrom 2026-01-01T00:00:00.000Z',
      ],
      [
        'missing output',
        { output: undefined },
        'Invalid price openai/gpt-4o standard: input and output prices per million tokens are required',
      ],
      [
        'text cachedInput',
        { cachedInput: 'abc' },
        `Invalid price openai/gpt-4o standard cachedInput: "abc"; ${PER_MILLION}`,
      ],
      [
        'negative output',
        { output: '-1000000' },
        `Invalid price openai/gpt-4o standard output: "-1000000"; ${PER_MILLION}`,
      ],
      [
        'batch without output',
        { batch: { input: '1.25' } },
        'Invalid price openai/gpt-4o batch: input and output prices per million tokens are required',
      ],
      [
        'negative batch input',
        { batch: { input: '-1', output: '5' } },
        `Invalid price openai/gpt-4o batch input: "-1"; ${PER_MILLION}`,
      ],
      [
        'negative tier threshold',
        { tiers: [{ aboveInputTokens: -5, input: '5', output: '15' }] },
        'Invalid price openai/gpt-4o standard tier 1: aboveInputTokens -5 is not a whole number of tokens',
      ],
      [
        'fractional tier threshold',
        { tiers: [{ aboveInputTokens: 1.5, input: '5', output: '15' }] },
        'Invalid price openai/gpt-4o standard tier 1: aboveInputTokens 1.5 is not a whole number of tokens',
      ],
      [
        'invalid tier price',
        { tiers: [{ aboveInputTokens: 200_000, output: 'x' }] },
        `Invalid price openai/gpt-4o standard tier above 200000 output: "x"; ${PER_MILLION}`,
      ],
      [
        'invalid request price',
        { request: 'free' },
        'Invalid price openai/gpt-4o standard request: "free"; use a non-negative decimal per unit with at most 12 decimals, such as "0.01"',
      ],
    ] as Array<[string, Partial<PriceInput>, string]>)(
      'rejects %s',
      (_case, fields, message) => {
        const parse = () => parsePriceInput({ ...GPT_4O, ...fields });

        expect(parse).toThrow(InputError);
        expect(parse).toThrow(message);
      },
    );
  });
});
