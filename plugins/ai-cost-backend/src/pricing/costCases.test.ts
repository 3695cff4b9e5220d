import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readAiCostConfig } from '../config';
import { computeCost, selectRates } from './computeCost';
import { formatPico } from './money';
import { ModelAlias, PriceBook } from './PriceBook';
import { PriceInput, parsePriceInput } from './priceSheet';
import { PriceVersion, TokenUsage } from './types';

// Expected costs are worked out by hand in pico-units (10^-12 dollars). A
// price of X dollars per million tokens is X * 10^6 pico-units per token, so
// $2.50 per million is 2_500_000n per token, and $1 is 10^12 pico-units.

/** Builds price versions with ids 1, 2, … from price sheet entries. */
function versionsOf(prices: PriceInput[]): PriceVersion[] {
  return prices.map((input, index) => {
    const parsed = parsePriceInput(input);
    return {
      id: index + 1,
      provider: parsed.provider,
      model: parsed.model,
      effectiveFrom: Date.parse(parsed.effectiveFrom),
      effectiveTo:
        parsed.effectiveTo === undefined
          ? undefined
          : Date.parse(parsed.effectiveTo),
      currency: parsed.currency,
      schedules: parsed.schedules,
      dynamic: parsed.dynamic,
    };
  });
}

function usageOf(fields: Partial<TokenUsage>): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, ...fields };
}

const GPT_4O: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2024-05-13',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
};

const SONNET: PriceInput = {
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  effectiveFrom: '2025-09-29',
  currency: 'USD',
  input: '3',
  cacheWrite: '3.75',
  output: '15',
};

const GPT_5: PriceInput = {
  provider: 'openai',
  model: 'gpt-5',
  effectiveFrom: '2025-08-07',
  currency: 'USD',
  input: '1.25',
  output: '10',
};

const LONG_CONTEXT: PriceInput = {
  provider: 'anthropic',
  model: 'claude-long',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '5',
  output: '25',
  tiers: [{ aboveInputTokens: 200_000, input: '10', output: '37.50' }],
};

const BEFORE_CUT: PriceInput = {
  provider: 'openai',
  model: 'gpt-5-pro',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '5',
  cachedInput: '0.50',
  output: '30',
};

const AFTER_CUT: PriceInput = {
  ...BEFORE_CUT,
  effectiveFrom: '2026-08-21',
  input: '4',
  cachedInput: '0.40',
  output: '20',
};

const NOVA_LITE: PriceInput = {
  provider: 'bedrock',
  model: 'amazon.nova-lite',
  effectiveFrom: '2025-01-01',
  currency: 'USD',
  input: '0.25',
  output: '1.25',
};

const GPT_4O_MINI: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  effectiveFrom: '2024-07-18',
  currency: 'USD',
  input: '0.15',
  output: '0.60',
};

const PROFILE_ARN =
  'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6';

const NOVA_ALIAS: ModelAlias = {
  provider: 'bedrock',
  name: PROFILE_ARN,
  targetProvider: 'bedrock',
  targetModel: 'amazon.nova-lite',
};

interface PricedCase {
  name: string;
  /** Price sheet entries. The first is the one that prices the call. */
  prices: PriceInput[];
  aliases?: ModelAlias[];
  provider: string;
  model: string;
  at: string;
  usage: TokenUsage;
  pico: bigint;
  cost: string;
}

const PRICED_CASES: PricedCase[] = [
  {
    name: 'gpt-4o with cached prompt',
    prices: [GPT_4O],
    provider: 'openai',
    model: 'gpt-4o',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      outputTokens: 500,
    }),
    pico: 2_000n * 2_500_000n + 8_000n * 1_250_000n + 500n * 10_000_000n,
    cost: '0.02',
  },
  {
    // Anthropic reports input_tokens 500 beside cache_creation_input_tokens
    // 2,000. The normalised inputTokens is their sum.
    name: 'Sonnet with cache write',
    prices: [SONNET],
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({
      inputTokens: 2_500,
      cacheWriteTokens: 2_000,
      outputTokens: 100,
    }),
    pico: 500n * 3_000_000n + 2_000n * 3_750_000n + 100n * 15_000_000n,
    cost: '0.0105',
  },
  {
    // OpenTelemetry GenAI counts reasoning inside output tokens.
    name: 'OTel span with reasoning',
    prices: [GPT_5],
    provider: 'openai',
    model: 'gpt-5',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({
      inputTokens: 20_000,
      outputTokens: 2_000,
      reasoningTokens: 1_200,
    }),
    pico: 20_000n * 1_250_000n + 800n * 10_000_000n + 1_200n * 10_000_000n,
    cost: '0.045',
  },
  {
    name: 'long context above tier',
    prices: [LONG_CONTEXT],
    provider: 'anthropic',
    model: 'claude-long',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({ inputTokens: 250_000, outputTokens: 2_000 }),
    pico: 250_000n * 10_000_000n + 2_000n * 37_500_000n,
    cost: '2.575',
  },
  {
    name: 'long context at threshold',
    prices: [LONG_CONTEXT],
    provider: 'anthropic',
    model: 'claude-long',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({ inputTokens: 200_000, outputTokens: 2_000 }),
    pico: 200_000n * 5_000_000n + 2_000n * 25_000_000n,
    cost: '1.05',
  },
  {
    name: 'long context one above',
    prices: [LONG_CONTEXT],
    provider: 'anthropic',
    model: 'claude-long',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({ inputTokens: 200_001, outputTokens: 2_000 }),
    pico: 200_001n * 10_000_000n + 2_000n * 37_500_000n,
    cost: '2.07501',
  },
  {
    // The cut is known when the call is priced, but the usage day decides.
    name: 'usage before price cut',
    prices: [BEFORE_CUT, AFTER_CUT],
    provider: 'openai',
    model: 'gpt-5-pro',
    at: '2026-08-20T18:00:00Z',
    usage: usageOf({
      inputTokens: 5_000_000,
      cachedInputTokens: 4_000_000,
      outputTokens: 200_000,
    }),
    pico:
      1_000_000n * 5_000_000n + 4_000_000n * 500_000n + 200_000n * 30_000_000n,
    cost: '13',
  },
  {
    name: 'usage after price cut',
    prices: [AFTER_CUT, BEFORE_CUT],
    provider: 'openai',
    model: 'gpt-5-pro',
    at: '2026-08-21T00:00:00Z',
    usage: usageOf({
      inputTokens: 5_000_000,
      cachedInputTokens: 4_000_000,
      outputTokens: 200_000,
    }),
    pico:
      1_000_000n * 4_000_000n + 4_000_000n * 400_000n + 200_000n * 20_000_000n,
    cost: '9.6',
  },
  {
    name: 'Bedrock inference profile alias',
    prices: [NOVA_LITE],
    aliases: [NOVA_ALIAS],
    provider: 'aws.bedrock',
    model: PROFILE_ARN,
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({ inputTokens: 9_000, outputTokens: 50 }),
    pico: 9_000n * 250_000n + 50n * 1_250_000n,
    cost: '0.0023125',
  },
  {
    name: 'gpt-4o-mini small request',
    prices: [GPT_4O_MINI],
    provider: 'openai',
    model: 'gpt-4o-mini',
    at: '2026-06-01T12:00:00Z',
    usage: usageOf({ inputTokens: 3_100, outputTokens: 1_900 }),
    pico: 3_100n * 150_000n + 1_900n * 600_000n,
    cost: '0.001605',
  },
];

describe('cost cases', () => {
  describe.each(PRICED_CASES)('$name', pricedCase => {
    const book = new PriceBook({
      prices: versionsOf(pricedCase.prices),
      aliases: pricedCase.aliases,
    });
    const result = book.price(
      pricedCase.provider,
      pricedCase.model,
      Date.parse(pricedCase.at),
      pricedCase.usage,
    );
    const costPico = result.priced ? result.costPico : undefined;

    it('is priced', () => {
      expect(result).toMatchObject({ priced: true });
    });

    it('costs exact pico-units', () => {
      expect(costPico).toBe(pricedCase.pico);
    });

    it('formats as exact decimal', () => {
      expect(formatPico(costPico ?? -1n)).toBe(pricedCase.cost);
    });

    it('uses the first price', () => {
      expect(result).toMatchObject({ priceId: 1 });
    });

    it('agrees with computeCost', () => {
      const schedule = parsePriceInput(pricedCase.prices[0]).schedules.standard;
      const rates = selectRates(schedule, pricedCase.usage.inputTokens);

      expect(computeCost(rates, pricedCase.usage)).toBe(pricedCase.pico);
    });
  });

  it('sums 10,000 small calls exactly', () => {
    const book = new PriceBook({
      prices: versionsOf([
        {
          provider: 'openai',
          model: 'gpt-3.5-turbo',
          effectiveFrom: '2024-01-25',
          currency: 'USD',
          input: '0.50',
          output: '1.50',
        },
      ]),
    });
    const usage = usageOf({ inputTokens: 20, outputTokens: 5 });
    const start = Date.parse('2026-06-01T00:00:00Z');

    let total = 0n;
    for (let call = 0; call < 10_000; call++) {
      const result = book.price('openai', 'gpt-3.5-turbo', start + call, usage);
      total += result.priced ? result.costPico : 0n;
    }

    expect(total).toBe(10_000n * (20n * 500_000n + 5n * 1_500_000n));
    expect(formatPico(total)).toBe('0.175');
  });

  describe('streamed call without usage', () => {
    const book = new PriceBook({ prices: versionsOf([GPT_4O]) });
    const at = Date.parse('2026-06-01T12:00:00Z');

    it('is unpriced, not free', () => {
      const result = book.price(
        'openai',
        'gpt-4o',
        at,
        usageOf({ usageReported: false }),
      );

      expect(result).toEqual({ priced: false, reason: 'no usage reported' });
    });

    it('prices reported zero usage', () => {
      const result = book.price('openai', 'gpt-4o', at, usageOf({}));

      expect(result).toMatchObject({ priced: true, costPico: 0n });
    });
  });

  describe('Bedrock ARN', () => {
    const config = readAiCostConfig(
      new ConfigReader({
        aiCost: {
          modelAliases: [
            {
              provider: 'bedrock',
              name: PROFILE_ARN,
              targetProvider: 'bedrock',
              targetModel: 'amazon.nova-lite',
            },
          ],
        },
      }),
    );
    const at = Date.parse('2026-06-01T12:00:00Z');
    const usage = usageOf({ inputTokens: 9_000, outputTokens: 50 });

    it('reads alias from config', () => {
      expect(config.modelAliases).toEqual([NOVA_ALIAS]);
    });

    it('prices through configured alias', () => {
      const book = new PriceBook({
        prices: versionsOf([NOVA_LITE]),
        aliases: config.modelAliases,
      });

      const result = book.price('bedrock', PROFILE_ARN, at, usage);

      expect(result).toMatchObject({
        priced: true,
        costPico: 9_000n * 250_000n + 50n * 1_250_000n,
      });
    });

    it('is unpriced without alias', () => {
      const book = new PriceBook({ prices: versionsOf([NOVA_LITE]) });

      const result = book.price('bedrock', PROFILE_ARN, at, usage);

      expect(result).toEqual({ priced: false, reason: 'no price for model' });
    });
  });

  describe('negative price sheet entry', () => {
    const negative: PriceInput = {
      provider: 'openai',
      model: 'gpt-realtime',
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      input: '-1000000',
      output: '20',
    };

    it('is rejected as InputError', () => {
      expect(() => parsePriceInput(negative)).toThrow(InputError);
    });

    it('names entry and field', () => {
      expect(() => parsePriceInput(negative)).toThrow(
        'Invalid price openai/gpt-realtime standard input: "-1000000"; use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"',
      );
    });

    it('names number value too', () => {
      expect(() =>
        parsePriceInput({
          ...negative,
          input: -1_000_000 as unknown as string,
        }),
      ).toThrow('Invalid price openai/gpt-realtime standard input: -1000000;');
    });

    it('leaves the call unpriced', () => {
      const accepted = [negative, GPT_4O].flatMap(input => {
        try {
          return [parsePriceInput(input)];
        } catch {
          return [];
        }
      });
      const book = new PriceBook({
        prices: accepted.map((parsed, index) => ({
          id: index + 1,
          provider: parsed.provider,
          model: parsed.model,
          effectiveFrom: Date.parse(parsed.effectiveFrom),
          currency: parsed.currency,
          schedules: parsed.schedules,
        })),
      });

      const result = book.price(
        'openai',
        'gpt-realtime',
        Date.parse('2026-06-01T12:00:00Z'),
        usageOf({ inputTokens: 100, outputTokens: 10 }),
      );

      expect(result).toEqual({ priced: false, reason: 'no price for model' });
    });
  });
});
