import { formatPico } from './money';
import { PriceBook } from './PriceBook';
import { PriceVersion } from './types';

// A price of X per million tokens is X * 10^12 pico-units over 10^6 tokens,
// which is X * 10^6 pico-units per token. So $2.50 per million is 2_500_000n.

function version(
  fields: Partial<PriceVersion> &
    Pick<PriceVersion, 'id' | 'model' | 'inputPicoPerToken'>,
): PriceVersion {
  return {
    provider: 'openai',
    effectiveFrom: Date.parse('2024-01-01T00:00:00Z'),
    currency: 'USD',
    outputPicoPerToken: 0n,
    ...fields,
  };
}

const GPT_4O = version({
  id: 1,
  model: 'gpt-4o',
  inputPicoPerToken: 2_500_000n,
  cachedInputPicoPerToken: 1_250_000n,
  outputPicoPerToken: 10_000_000n,
});

const AT = Date.parse('2026-06-01T12:00:00Z');

function costOf(
  book: PriceBook,
  model: string,
  at: number,
  usage: {
    inputTokens: number;
    cachedInputTokens: number;
    outputTokens: number;
  },
): bigint {
  const result = book.price('openai', model, at, usage);
  if (!result.priced) {
    throw new Error(`${model} is unpriced: ${result.reason}`);
  }
  return result.costPico;
}

describe('PriceBook', () => {
  it('prices cached input at cached price', () => {
    const book = new PriceBook([GPT_4O]);
    const usage = {
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      outputTokens: 500,
    };
    const expected =
      2_000n * 2_500_000n + 8_000n * 1_250_000n + 500n * 10_000_000n;

    const result = book.price('openai', 'gpt-4o', AT, usage);

    expect(result).toEqual({
      priced: true,
      costPico: expected,
      currency: 'USD',
      priceId: 1,
    });
    expect(formatPico(expected)).toBe('0.02');
  });

  it('prices input and output tokens', () => {
    const book = new PriceBook([
      version({
        id: 2,
        model: 'gpt-4o-mini',
        inputPicoPerToken: 150_000n,
        outputPicoPerToken: 600_000n,
      }),
    ]);
    const expected = 3_100n * 150_000n + 1_900n * 600_000n;

    const cost = costOf(book, 'gpt-4o-mini', AT, {
      inputTokens: 3_100,
      cachedInputTokens: 0,
      outputTokens: 1_900,
    });

    expect(cost).toBe(expected);
    expect(formatPico(cost)).toBe('0.001605');
  });

  it('bills cached input without cached price', () => {
    const book = new PriceBook([
      version({
        id: 3,
        model: 'gpt-4o-mini',
        inputPicoPerToken: 150_000n,
        outputPicoPerToken: 600_000n,
      }),
    ]);

    const cost = costOf(book, 'gpt-4o-mini', AT, {
      inputTokens: 1_000,
      cachedInputTokens: 400,
      outputTokens: 0,
    });

    expect(cost).toBe(1_000n * 150_000n);
  });

  it('sums many small requests exactly', () => {
    const book = new PriceBook([
      version({
        id: 4,
        model: 'gpt-3.5-turbo',
        inputPicoPerToken: 500_000n,
        outputPicoPerToken: 1_500_000n,
      }),
    ]);
    const usage = { inputTokens: 20, cachedInputTokens: 0, outputTokens: 5 };

    let total = 0n;
    for (let i = 0; i < 10_000; i++) {
      total += costOf(book, 'gpt-3.5-turbo', AT + i, usage);
    }

    expect(total).toBe(10_000n * (20n * 500_000n + 5n * 1_500_000n));
    expect(formatPico(total)).toBe('0.175');
  });

  describe('price cut on 2026-08-21', () => {
    const oldPrice = version({
      id: 10,
      model: 'gpt-5',
      effectiveFrom: Date.parse('2026-01-01T00:00:00Z'),
      inputPicoPerToken: 5_000_000n,
      cachedInputPicoPerToken: 500_000n,
      outputPicoPerToken: 30_000_000n,
    });
    const newPrice = version({
      id: 11,
      model: 'gpt-5',
      effectiveFrom: Date.parse('2026-08-21T00:00:00Z'),
      inputPicoPerToken: 4_000_000n,
      cachedInputPicoPerToken: 400_000n,
      outputPicoPerToken: 20_000_000n,
    });
    // Listed newest first to show that the order of the input is not used.
    const book = new PriceBook([newPrice, oldPrice]);
    const usage = {
      inputTokens: 5_000_000,
      cachedInputTokens: 4_000_000,
      outputTokens: 200_000,
    };

    it('prices earlier usage at old price', () => {
      const at = Date.parse('2026-08-20T18:00:00Z');
      const expected =
        1_000_000n * 5_000_000n +
        4_000_000n * 500_000n +
        200_000n * 30_000_000n;

      const cost = costOf(book, 'gpt-5', at, usage);

      expect(cost).toBe(expected);
      expect(formatPico(cost)).toBe('13');
      expect(book.find('openai', 'gpt-5', at)?.id).toBe(10);
    });

    it('prices later usage at new price', () => {
      const at = Date.parse('2026-08-21T00:00:00Z');
      const expected =
        1_000_000n * 4_000_000n +
        4_000_000n * 400_000n +
        200_000n * 20_000_000n;

      const cost = costOf(book, 'gpt-5', at, usage);

      expect(cost).toBe(expected);
      expect(formatPico(cost)).toBe('9.6');
    });

    it('leaves usage before first price unpriced', () => {
      const at = Date.parse('2025-12-31T23:59:59Z');

      expect(book.price('openai', 'gpt-5', at, usage)).toEqual({
        priced: false,
        reason: 'no price for model',
      });
    });
  });

  it('leaves model without price unpriced', () => {
    const book = new PriceBook([GPT_4O]);

    const result = book.price('openai', 'o3-pro', AT, {
      inputTokens: 100,
      cachedInputTokens: 0,
      outputTokens: 100,
    });

    expect(result).toEqual({ priced: false, reason: 'no price for model' });
  });

  it('leaves other provider unpriced', () => {
    const book = new PriceBook([GPT_4O]);

    expect(book.find('azure', 'gpt-4o', AT)).toBeUndefined();
  });

  it('matches provider and model in any case', () => {
    const book = new PriceBook([GPT_4O]);

    expect(book.find('OpenAI', 'GPT-4o', AT)?.id).toBe(1);
  });

  describe('dated snapshot', () => {
    const snapshot = version({
      id: 20,
      model: 'gpt-4o-2024-08-06',
      inputPicoPerToken: 2_000_000n,
      outputPicoPerToken: 8_000_000n,
    });

    it('falls back to family price', () => {
      const book = new PriceBook([GPT_4O]);

      expect(book.find('openai', 'gpt-4o-2024-08-06', AT)?.id).toBe(1);
    });

    it('uses its own price', () => {
      const book = new PriceBook([GPT_4O, snapshot]);

      expect(book.find('openai', 'gpt-4o-2024-08-06', AT)?.id).toBe(20);
    });

    it('prices with its own price', () => {
      const book = new PriceBook([GPT_4O, snapshot]);

      const cost = costOf(book, 'gpt-4o-2024-08-06', AT, {
        inputTokens: 1_000,
        cachedInputTokens: 0,
        outputTokens: 100,
      });

      expect(cost).toBe(1_000n * 2_000_000n + 100n * 8_000_000n);
    });

    it('has no fallback without date suffix', () => {
      const book = new PriceBook([GPT_4O]);

      expect(book.find('openai', 'gpt-4o-latest', AT)).toBeUndefined();
    });
  });

  describe('effectiveTo', () => {
    const ending = version({
      id: 30,
      model: 'gpt-4-32k',
      effectiveFrom: Date.parse('2024-01-01T00:00:00Z'),
      effectiveTo: Date.parse('2025-06-06T00:00:00Z'),
      inputPicoPerToken: 60_000_000n,
      outputPicoPerToken: 120_000_000n,
    });
    const book = new PriceBook([ending]);

    it('keeps price before end', () => {
      const at = Date.parse('2025-06-05T23:59:59.999Z');

      expect(book.find('openai', 'gpt-4-32k', at)?.id).toBe(30);
    });

    it('ends price at effectiveTo', () => {
      const at = Date.parse('2025-06-06T00:00:00Z');

      expect(book.find('openai', 'gpt-4-32k', at)).toBeUndefined();
    });

    it('leaves usage after end unpriced', () => {
      const at = Date.parse('2025-07-01T00:00:00Z');

      expect(
        book.price('openai', 'gpt-4-32k', at, {
          inputTokens: 10,
          cachedInputTokens: 0,
          outputTokens: 10,
        }),
      ).toEqual({ priced: false, reason: 'no price for model' });
    });
  });
});
