import { InputError } from '@backstage/errors';
import { parsePriceInput } from './priceSheet';
import { schedulesFromJson, schedulesToJson } from './scheduleJson';
import { PriceVersion } from './types';

/** Schedules with every rate key, tiers and other service tiers. */
const FULL: PriceVersion['schedules'] = parsePriceInput({
  provider: 'anthropic',
  model: 'claude-long',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '3',
  cachedInput: '0.30',
  cacheWrite: '3.75',
  cacheWrite1h: '6',
  inputAudio: '40',
  inputImage: '3.000001',
  output: '15',
  reasoning: '15',
  outputAudio: '80',
  outputImage: '0.000001',
  request: '0.000000000001',
  webSearch: '0.01',
  tiers: [{ aboveInputTokens: 200_000, input: '6', output: '22.50' }],
  batch: {
    input: '1.50',
    output: '7.50',
    tiers: [{ aboveInputTokens: 200_000, input: '3', output: '11.25' }],
  },
  priority: { input: '5', output: '25' },
}).schedules;

describe('schedulesToJson', () => {
  it('round trips every rate', () => {
    const text = schedulesToJson(FULL);

    expect(schedulesFromJson(text, 'anthropic/claude-long')).toEqual(FULL);
  });

  it('writes decimal strings', () => {
    const json = JSON.parse(schedulesToJson(FULL));

    expect(json.standard.rates).toEqual({
      input: '3',
      cachedInput: '0.3',
      cacheWrite: '3.75',
      cacheWrite1h: '6',
      inputAudio: '40',
      inputImage: '3.000001',
      output: '15',
      reasoning: '15',
      outputAudio: '80',
      outputImage: '0.000001',
      request: '0.000000000001',
      webSearch: '0.01',
    });
  });

  it('writes tiers with thresholds', () => {
    const json = JSON.parse(schedulesToJson(FULL));

    expect(json.batch.tiers).toEqual([
      { aboveInputTokens: 200_000, rates: { input: '3', output: '11.25' } },
    ]);
  });

  it('writes service tiers in fixed order', () => {
    const reordered = {
      priority: FULL.priority,
      batch: FULL.batch,
      standard: FULL.standard,
    } as PriceVersion['schedules'];

    expect(schedulesToJson(reordered)).toBe(schedulesToJson(FULL));
  });

  it('writes rates in fixed order', () => {
    const reordered: PriceVersion['schedules'] = {
      standard: {
        rates: { output: 2n, input: 1n },
        tiers: [],
      },
    };
    const ordered: PriceVersion['schedules'] = {
      standard: {
        rates: { input: 1n, output: 2n },
        tiers: [],
      },
    };

    expect(schedulesToJson(reordered)).toBe(schedulesToJson(ordered));
  });
});

describe('schedulesFromJson', () => {
  const text = JSON.stringify({
    standard: { rates: { input: 'x', output: '1' }, tiers: [] },
  });

  it('rejects invalid rate as InputError', () => {
    expect(() => schedulesFromJson(text, 'openai/gpt-4o')).toThrow(InputError);
  });

  it('names price and field', () => {
    expect(() => schedulesFromJson(text, 'openai/gpt-4o')).toThrow(
      'Invalid price openai/gpt-4o standard input: "x";',
    );
  });
});
