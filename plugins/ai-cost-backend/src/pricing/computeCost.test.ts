import { InputError } from '@backstage/errors';
import { computeCost, selectRates } from './computeCost';
import { PriceSchedule, Rates, TokenUsage } from './types';

// Rates are in pico-units per token, so X per million tokens is X * 10^6.
// Each token type has a price of its own, so a swapped rate changes the sum.
const RATES: Rates = {
  input: 1_000_000n,
  cachedInput: 100_000n,
  cacheWrite: 1_250_000n,
  cacheWrite1h: 2_000_000n,
  inputAudio: 40_000_000n,
  inputImage: 5_000_000n,
  output: 4_000_000n,
  reasoning: 8_000_000n,
  outputAudio: 80_000_000n,
  outputImage: 30_000_000n,
};

function usageOf(fields: Partial<TokenUsage>): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, ...fields };
}

describe('computeCost', () => {
  it.each([
    ['cachedInputTokens', 100_000n],
    ['cacheWriteTokens', 1_250_000n],
    ['cacheWrite1hTokens', 2_000_000n],
    ['inputAudioTokens', 40_000_000n],
    ['inputImageTokens', 5_000_000n],
  ] as const)('bills %s at own rate', (field, rate) => {
    const usage = usageOf({ inputTokens: 1_000, [field]: 600 });

    expect(computeCost(RATES, usage)).toBe(400n * 1_000_000n + 600n * rate);
  });

  it.each([
    ['reasoningTokens', 8_000_000n],
    ['outputAudioTokens', 80_000_000n],
    ['outputImageTokens', 30_000_000n],
  ] as const)('bills %s at own rate', (field, rate) => {
    const usage = usageOf({ outputTokens: 1_000, [field]: 600 });

    expect(computeCost(RATES, usage)).toBe(400n * 4_000_000n + 600n * rate);
  });

  it('sums every token type', () => {
    const usage = usageOf({
      inputTokens: 10_000,
      cachedInputTokens: 1_000,
      cacheWriteTokens: 2_000,
      cacheWrite1hTokens: 3_000,
      inputAudioTokens: 500,
      inputImageTokens: 400,
      outputTokens: 1_000,
      reasoningTokens: 300,
      outputAudioTokens: 200,
      outputImageTokens: 100,
    });

    expect(computeCost(RATES, usage)).toBe(
      3_100n * 1_000_000n +
        1_000n * 100_000n +
        2_000n * 1_250_000n +
        3_000n * 2_000_000n +
        500n * 40_000_000n +
        400n * 5_000_000n +
        400n * 4_000_000n +
        300n * 8_000_000n +
        200n * 80_000_000n +
        100n * 30_000_000n,
    );
  });

  describe('beyond 2^53 pico-units', () => {
    // 2^53 pico-units is about $9,007, where doubles stop holding every
    // integer, so these sums must come out of BigInt arithmetic.
    it('sums large cost exactly', () => {
      const rates: Rates = { input: 100_000_003n, output: 3n };
      const usage = usageOf({ inputTokens: 100_000_000, outputTokens: 7 });

      expect(computeCost(rates, usage)).toBe(
        100_000_000n * 100_000_003n + 7n * 3n,
      );
    });

    it('adds large request charge exactly', () => {
      // $10,000.000000000001 per request.
      const rates: Rates = {
        input: 1n,
        output: 1n,
        request: 10_000_000_000_000_001n,
      };
      const usage = usageOf({ inputTokens: 3, outputTokens: 2 });

      expect(computeCost(rates, usage)).toBe(10_000_000_000_000_006n);
    });
  });

  describe('without own rates', () => {
    const plain: Rates = { input: 1_000_000n, output: 4_000_000n };

    it('bills input parts at input rate', () => {
      const usage = usageOf({
        inputTokens: 1_000,
        cachedInputTokens: 100,
        cacheWriteTokens: 200,
        cacheWrite1hTokens: 300,
        inputAudioTokens: 50,
        inputImageTokens: 50,
      });

      expect(computeCost(plain, usage)).toBe(1_000n * 1_000_000n);
    });

    it('bills output parts at output rate', () => {
      const usage = usageOf({
        outputTokens: 1_000,
        reasoningTokens: 500,
        outputAudioTokens: 100,
        outputImageTokens: 100,
      });

      expect(computeCost(plain, usage)).toBe(1_000n * 4_000_000n);
    });

    it('bills 1-hour writes at write rate', () => {
      const rates: Rates = { ...plain, cacheWrite: 1_250_000n };
      const usage = usageOf({ inputTokens: 1_000, cacheWrite1hTokens: 1_000 });

      expect(computeCost(rates, usage)).toBe(1_000n * 1_250_000n);
    });

    it('charges nothing for web searches', () => {
      const usage = usageOf({ inputTokens: 10, webSearchRequests: 4 });

      expect(computeCost(plain, usage)).toBe(10n * 1_000_000n);
    });
  });

  describe('charges per unit', () => {
    // $0.001 per request and $0.01 per web search, in pico-units.
    const rates: Rates = {
      input: 1_000_000n,
      output: 4_000_000n,
      request: 1_000_000_000n,
      webSearch: 10_000_000_000n,
    };

    it('adds request charge once', () => {
      const usage = usageOf({ inputTokens: 10 });

      expect(computeCost(rates, usage)).toBe(10n * 1_000_000n + 1_000_000_000n);
    });

    it('adds charge per web search', () => {
      const usage = usageOf({ webSearchRequests: 3 });

      expect(computeCost(rates, usage)).toBe(
        1_000_000_000n + 3n * 10_000_000_000n,
      );
    });
  });

  describe('parts above totals', () => {
    it('rejects input parts above inputTokens', () => {
      const usage = usageOf({
        inputTokens: 1_000,
        cachedInputTokens: 600,
        cacheWriteTokens: 401,
      });

      expect(() => computeCost(RATES, usage)).toThrow(InputError);
    });

    it('names input parts and total', () => {
      const usage = usageOf({ inputTokens: 1_000, inputImageTokens: 1_001 });

      expect(() => computeCost(RATES, usage)).toThrow(
        'cachedInputTokens, cacheWriteTokens, cacheWrite1hTokens, inputAudioTokens and inputImageTokens add up to more than inputTokens 1000; they are parts of inputTokens',
      );
    });

    it('names output parts and total', () => {
      const usage = usageOf({ outputTokens: 10, reasoningTokens: 11 });

      expect(() => computeCost(RATES, usage)).toThrow(
        'reasoningTokens, outputAudioTokens and outputImageTokens add up to more than outputTokens 10; they are parts of outputTokens',
      );
    });

    it('accepts parts equal to totals', () => {
      const usage = usageOf({
        inputTokens: 1_000,
        cachedInputTokens: 1_000,
        outputTokens: 10,
        reasoningTokens: 10,
      });

      expect(computeCost(RATES, usage)).toBe(
        1_000n * 100_000n + 10n * 8_000_000n,
      );
    });
  });
});

describe('selectRates', () => {
  const base: Rates = { input: 1n, output: 2n };
  const above200k: Rates = { input: 3n, output: 4n };
  const above1m: Rates = { input: 5n, output: 6n };
  const schedule: PriceSchedule = {
    rates: base,
    tiers: [
      { aboveInputTokens: 200_000, rates: above200k },
      { aboveInputTokens: 1_000_000, rates: above1m },
    ],
  };

  it.each([
    [0, base],
    [200_000, base],
    [200_001, above200k],
    [1_000_000, above200k],
    [1_000_001, above1m],
  ])('selects rates for %d input tokens', (inputTokens, expected) => {
    expect(selectRates(schedule, inputTokens)).toBe(expected);
  });

  it('uses base rates without tiers', () => {
    expect(selectRates({ rates: base, tiers: [] }, 5_000_000)).toBe(base);
  });
});
