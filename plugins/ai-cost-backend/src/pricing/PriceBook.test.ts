import { InputError } from '@backstage/errors';
import { ExchangeRates } from './ExchangeRates';
import { formatPico } from './money';
import { PriceBook, PriceOverride } from './PriceBook';
import { PriceInput, parsePriceInput } from './priceSheet';
import { PriceSourceKind, PriceVersion, TokenUsage } from './types';

// Expected costs are worked out by hand in pico-units (10^-12 of the
// currency unit). X per million tokens is X * 10^6 pico-units per token.

const AT = Date.parse('2026-06-01T12:00:00Z');

function version(
  id: number,
  input: PriceInput,
  sourceKind?: PriceSourceKind,
): PriceVersion {
  const parsed = parsePriceInput(input);
  return {
    id,
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
    sourceKind,
  };
}

function usageOf(fields: Partial<TokenUsage>): TokenUsage {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, ...fields };
}

function costOf(
  book: PriceBook,
  provider: string,
  model: string,
  usage: TokenUsage,
  at = AT,
): bigint {
  const result = book.price(provider, model, at, usage);
  if (!result.priced) {
    throw new Error(`${provider}/${model} is unpriced: ${result.reason}`);
  }
  return result.costPico;
}

const GPT_4O_INPUT: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2024-05-13',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
  batch: { input: '1.25', output: '5' },
};

const GPT_4O = version(1, GPT_4O_INPUT);

/** 1,000,000 input and 100,000 output tokens. */
const MILLION_IN = usageOf({ inputTokens: 1_000_000, outputTokens: 100_000 });

/** 1,000,000 × $2.50 + 100,000 × $10 per million: $3.50. */
const MILLION_IN_GPT_4O = 1_000_000n * 2_500_000n + 100_000n * 10_000_000n;

describe('PriceBook', () => {
  describe('find', () => {
    it('matches provider and model case', () => {
      const book = new PriceBook({ prices: [GPT_4O] });

      expect(book.find('OpenAI', 'GPT-4o', AT)?.id).toBe(1);
    });

    it('finds nothing for other provider', () => {
      const book = new PriceBook({ prices: [GPT_4O] });

      expect(book.find('anthropic', 'gpt-4o', AT)).toBeUndefined();
    });

    it('leaves unknown model unpriced', () => {
      const book = new PriceBook({ prices: [GPT_4O] });

      const result = book.price('openai', 'o3-pro', AT, MILLION_IN);

      expect(result).toEqual({ priced: false, reason: 'no price for model' });
    });

    it('leaves dynamic price unpriced', () => {
      const book = new PriceBook({
        prices: [version(1, { ...GPT_4O_INPUT, dynamic: true })],
      });

      const result = book.price('openai', 'gpt-4o', AT, MILLION_IN);

      expect(result).toEqual({ priced: false, reason: 'dynamic price' });
    });
  });

  describe('price versions', () => {
    const oldPrice = version(10, {
      ...GPT_4O_INPUT,
      model: 'gpt-5',
      effectiveFrom: '2026-01-01',
      input: '5',
      output: '30',
    });
    const newPrice = version(11, {
      ...GPT_4O_INPUT,
      model: 'gpt-5',
      effectiveFrom: '2026-08-21',
      input: '4',
      output: '20',
    });
    // Newest first, to show that the order of the input is not used.
    const book = new PriceBook({ prices: [newPrice, oldPrice] });

    it('uses old price before cut', () => {
      const at = Date.parse('2026-08-20T23:59:59.999Z');

      expect(book.find('openai', 'gpt-5', at)?.id).toBe(10);
    });

    it('uses new price from cut', () => {
      const at = Date.parse('2026-08-21T00:00:00Z');

      expect(book.find('openai', 'gpt-5', at)?.id).toBe(11);
    });

    it('leaves usage before first price unpriced', () => {
      const at = Date.parse('2025-12-31T23:59:59Z');

      expect(book.price('openai', 'gpt-5', at, MILLION_IN)).toEqual({
        priced: false,
        reason: 'no price for model',
      });
    });
  });

  describe('effectiveTo', () => {
    const book = new PriceBook({
      prices: [
        version(30, {
          ...GPT_4O_INPUT,
          model: 'gpt-4-32k',
          effectiveFrom: '2024-01-01',
          effectiveTo: '2025-06-06',
        }),
      ],
    });

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

      expect(book.price('openai', 'gpt-4-32k', at, MILLION_IN)).toEqual({
        priced: false,
        reason: 'no price for model',
      });
    });
  });

  describe('source precedence', () => {
    // With equal provider, model and effectiveFrom, the source of higher
    // precedence wins, whatever the ids.
    it.each([
      ['api', 'config'],
      ['config', 'catalog'],
      ['catalog', 'genai-prices'],
      ['genai-prices', 'litellm'],
    ] as const)('prefers %s over %s', (higher, lower) => {
      const book = new PriceBook({
        prices: [
          version(1, GPT_4O_INPUT, higher),
          version(2, { ...GPT_4O_INPUT, input: '3' }, lower),
        ],
      });

      expect(book.find('openai', 'gpt-4o', AT)?.id).toBe(1);
    });

    it('prefers later effectiveFrom over source', () => {
      const book = new PriceBook({
        prices: [
          version(1, GPT_4O_INPUT, 'api'),
          version(
            2,
            { ...GPT_4O_INPUT, effectiveFrom: '2025-01-01' },
            'litellm',
          ),
        ],
      });

      expect(book.find('openai', 'gpt-4o', AT)?.id).toBe(2);
    });
  });

  describe('dated snapshot', () => {
    const snapshot = version(20, {
      ...GPT_4O_INPUT,
      model: 'gpt-4o-2024-08-06',
      input: '2',
      cachedInput: undefined,
      output: '8',
    });

    it('falls back to family price', () => {
      const book = new PriceBook({ prices: [GPT_4O] });

      expect(book.find('openai', 'gpt-4o-2024-08-06', AT)?.id).toBe(1);
    });

    it('falls back for compact date', () => {
      const book = new PriceBook({
        prices: [
          version(2, {
            ...GPT_4O_INPUT,
            provider: 'anthropic',
            model: 'claude-3-5-haiku',
          }),
        ],
      });

      expect(book.find('anthropic', 'claude-3-5-haiku-20241022', AT)?.id).toBe(
        2,
      );
    });

    it('uses its own price', () => {
      const book = new PriceBook({ prices: [GPT_4O, snapshot] });

      expect(book.find('openai', 'gpt-4o-2024-08-06', AT)?.id).toBe(20);
    });

    it('prices with its own price', () => {
      const book = new PriceBook({ prices: [GPT_4O, snapshot] });

      const cost = costOf(
        book,
        'openai',
        'gpt-4o-2024-08-06',
        usageOf({ inputTokens: 1_000, outputTokens: 100 }),
      );

      expect(cost).toBe(1_000n * 2_000_000n + 100n * 8_000_000n);
    });

    it('has no fallback without date suffix', () => {
      const book = new PriceBook({ prices: [GPT_4O] });

      expect(book.find('openai', 'gpt-4o-latest', AT)).toBeUndefined();
    });
  });

  describe('provider names', () => {
    const AZURE_GPT_4O = version(2, { ...GPT_4O_INPUT, provider: 'azure' });
    const OPENROUTER = version(3, {
      ...GPT_4O_INPUT,
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4.5',
    });
    const BEDROCK = version(4, {
      ...GPT_4O_INPUT,
      provider: 'bedrock',
      model: 'amazon.nova-lite',
    });
    const VERTEX = version(5, {
      ...GPT_4O_INPUT,
      provider: 'vertex_ai',
      model: 'gemini-2.5-pro',
    });
    const book = new PriceBook({
      prices: [GPT_4O, AZURE_GPT_4O, OPENROUTER, BEDROCK, VERTEX],
    });

    it('resolves azure model prefix', () => {
      expect(book.find('litellm', 'azure/gpt-4o', AT)?.id).toBe(2);
    });

    it('resolves openrouter model prefix', () => {
      expect(
        book.find('openrouter', 'openrouter/anthropic/claude-sonnet-4.5', AT)
          ?.id,
      ).toBe(3);
    });

    it('resolves prefixed dated snapshot', () => {
      expect(book.find('litellm', 'azure/gpt-4o-2024-08-06', AT)?.id).toBe(2);
    });

    it('keeps unknown prefix in name', () => {
      expect(book.find('openai', 'my-team/gpt-4o', AT)).toBeUndefined();
    });

    it.each([
      ['azure.ai.openai', 'gpt-4o', 2],
      ['az.ai.openai', 'gpt-4o', undefined],
      ['aws.bedrock', 'amazon.nova-lite', 4],
      ['gcp.vertex_ai', 'gemini-2.5-pro', 5],
      ['OpenAI', 'gpt-4o', 1],
    ])('resolves OTel provider %s', (provider, model, id) => {
      expect(book.find(provider, model, AT)?.id).toBe(id);
    });
  });

  describe('model aliases', () => {
    const AZURE_GPT_4O = version(2, { ...GPT_4O_INPUT, provider: 'azure' });
    const book = new PriceBook({
      prices: [GPT_4O, AZURE_GPT_4O],
      aliases: [
        {
          provider: 'azure',
          name: 'prod-chat',
          targetProvider: 'azure',
          targetModel: 'gpt-4o',
        },
        {
          name: 'default-model',
          targetProvider: 'openai',
          targetModel: 'gpt-4o',
        },
      ],
    });

    it('maps deployment name to model', () => {
      expect(book.find('azure.ai.openai', 'prod-chat', AT)?.id).toBe(2);
    });

    it('ignores alias of other provider', () => {
      expect(book.find('openai', 'prod-chat', AT)).toBeUndefined();
    });

    it('maps alias for any provider', () => {
      expect(book.find('litellm', 'default-model', AT)?.id).toBe(1);
    });
  });

  describe('service tiers', () => {
    const LONG_CONTEXT = version(40, {
      provider: 'anthropic',
      model: 'claude-long',
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      input: '5',
      output: '25',
      tiers: [{ aboveInputTokens: 200_000, input: '10', output: '37.50' }],
      batch: {
        input: '2.50',
        output: '12.50',
        tiers: [{ aboveInputTokens: 200_000, input: '5', output: '18.75' }],
      },
    });
    const book = new PriceBook({ prices: [GPT_4O, LONG_CONTEXT] });

    it('prices batch schedule', () => {
      const cost = costOf(book, 'openai', 'gpt-4o', {
        ...MILLION_IN,
        serviceTier: 'batch',
      });

      expect(cost).toBe(1_000_000n * 1_250_000n + 100_000n * 5_000_000n);
    });

    it('prices batch tier above threshold', () => {
      const cost = costOf(
        book,
        'anthropic',
        'claude-long',
        usageOf({
          inputTokens: 250_000,
          outputTokens: 2_000,
          serviceTier: 'batch',
        }),
      );

      expect(cost).toBe(250_000n * 5_000_000n + 2_000n * 18_750_000n);
      expect(formatPico(cost)).toBe('1.2875');
    });

    it('prices batch base below threshold', () => {
      const cost = costOf(
        book,
        'anthropic',
        'claude-long',
        usageOf({
          inputTokens: 100_000,
          outputTokens: 2_000,
          serviceTier: 'batch',
        }),
      );

      expect(cost).toBe(100_000n * 2_500_000n + 2_000n * 12_500_000n);
    });

    it('uses standard without priority price', () => {
      const result = book.price('openai', 'gpt-4o', AT, {
        ...MILLION_IN,
        serviceTier: 'priority',
      });

      expect(result).toMatchObject({
        priced: true,
        costPico: MILLION_IN_GPT_4O,
      });
      expect(result).toMatchObject({
        note: 'no priority price; standard price used',
      });
    });

    it('notes standard price for flex', () => {
      const result = book.price('openai', 'gpt-4o', AT, {
        ...MILLION_IN,
        serviceTier: 'flex',
      });

      expect(result).toMatchObject({
        note: 'no flex price; standard price used',
      });
    });

    it('has no note for own tier', () => {
      const result = book.price('openai', 'gpt-4o', AT, {
        ...MILLION_IN,
        serviceTier: 'batch',
      });

      expect(result).toMatchObject({ priced: true, note: undefined });
    });
  });

  describe('overrides', () => {
    const AZURE_GPT_4O = version(2, { ...GPT_4O_INPUT, provider: 'azure' });
    const AZURE_MINI = version(3, {
      provider: 'azure',
      model: 'gpt-4o-mini',
      effectiveFrom: '2024-07-18',
      currency: 'USD',
      input: '0.15',
      output: '0.60',
    });
    const LONG_CONTEXT = version(4, {
      provider: 'anthropic',
      model: 'claude-long',
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      input: '5',
      output: '25',
      tiers: [{ aboveInputTokens: 200_000, input: '10', output: '37.50' }],
    });

    function override(
      fields: Partial<PriceOverride> & Pick<PriceOverride, 'id'>,
    ): PriceOverride {
      return {
        provider: 'azure',
        effectiveFrom: Date.parse('2026-01-01T00:00:00Z'),
        ...fields,
      };
    }

    function bookWith(overrides: PriceOverride[]) {
      return new PriceBook({
        prices: [GPT_4O, AZURE_GPT_4O, AZURE_MINI, LONG_CONTEXT],
        overrides,
      });
    }

    it('takes discount off list cost', () => {
      const book = bookWith([override({ id: 7, discountPercent: '15' })]);

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      // $3.50 less 15 %: $2.975.
      expect(result).toEqual({
        priced: true,
        costPico: 2_975_000_000_000n,
        currency: 'USD',
        listCostPico: MILLION_IN_GPT_4O,
        listCurrency: 'USD',
        priceId: 2,
        overrideId: 7,
        note: undefined,
      });
    });

    it('discounts long-context tier', () => {
      const book = bookWith([
        override({ id: 8, provider: 'anthropic', discountPercent: '20' }),
      ]);

      const result = book.price(
        'anthropic',
        'claude-long',
        AT,
        usageOf({ inputTokens: 250_000, outputTokens: 2_000 }),
      );

      // Tier price $2.575 less 20 %: $2.06.
      expect(result).toMatchObject({
        costPico: 2_060_000_000_000n,
        listCostPico: 250_000n * 10_000_000n + 2_000n * 37_500_000n,
      });
    });

    it('prefers model override to provider', () => {
      const book = bookWith([
        override({ id: 1, discountPercent: '10' }),
        override({ id: 2, model: 'gpt-4o', discountPercent: '25' }),
        // Later, but for all models: the model's own override still wins.
        override({
          id: 3,
          discountPercent: '5',
          effectiveFrom: Date.parse('2026-03-01T00:00:00Z'),
        }),
      ]);

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      // $3.50 less 25 %: $2.625.
      expect(result).toMatchObject({
        costPico: 2_625_000_000_000n,
        overrideId: 2,
      });
    });

    it('applies provider override to others', () => {
      const book = bookWith([
        override({ id: 1, discountPercent: '10' }),
        override({ id: 2, model: 'gpt-4o', discountPercent: '25' }),
      ]);

      const result = book.price(
        'azure',
        'gpt-4o-mini',
        AT,
        usageOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 }),
      );

      // $0.15 + $0.60 = $0.75, less 10 %: $0.675.
      expect(result).toMatchObject({
        costPico: 675_000_000_000n,
        overrideId: 1,
      });
    });

    it('prefers later override of same scope', () => {
      const book = bookWith([
        override({ id: 1, discountPercent: '10' }),
        override({
          id: 2,
          discountPercent: '30',
          effectiveFrom: Date.parse('2026-03-01T00:00:00Z'),
        }),
      ]);

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      expect(result).toMatchObject({ overrideId: 2 });
    });

    it('ignores override outside its range', () => {
      const book = bookWith([
        override({
          id: 1,
          discountPercent: '10',
          effectiveTo: Date.parse('2026-06-01T12:00:00Z'),
        }),
      ]);

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      expect(result).toMatchObject({
        costPico: MILLION_IN_GPT_4O,
        overrideId: undefined,
      });
    });

    it('ignores override of other provider', () => {
      const book = bookWith([override({ id: 1, discountPercent: '10' })]);

      const result = book.price('openai', 'gpt-4o', AT, MILLION_IN);

      expect(result).toMatchObject({ costPico: MILLION_IN_GPT_4O });
    });

    it('matches override by OTel provider', () => {
      const book = bookWith([override({ id: 1, discountPercent: '10' })]);

      const result = book.price('azure.ai.openai', 'gpt-4o', AT, MILLION_IN);

      expect(result).toMatchObject({ overrideId: 1 });
    });

    it('prices with explicit override prices', () => {
      const explicit = parsePriceInput({
        provider: 'azure',
        model: 'gpt-4o',
        effectiveFrom: '2026-01-01',
        currency: 'USD',
        input: '2',
        output: '8',
      });
      const book = bookWith([
        override({
          id: 9,
          model: 'gpt-4o',
          currency: 'USD',
          schedules: explicit.schedules,
        }),
      ]);

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      expect(result).toMatchObject({
        costPico: 1_000_000n * 2_000_000n + 100_000n * 8_000_000n,
        listCostPico: MILLION_IN_GPT_4O,
        overrideId: 9,
      });
    });

    it('converts explicit prices in other currency', () => {
      const explicit = parsePriceInput({
        provider: 'azure',
        model: 'gpt-4o',
        effectiveFrom: '2026-01-01',
        currency: 'EUR',
        input: '2',
        output: '8',
      });
      const book = new PriceBook({
        prices: [AZURE_GPT_4O],
        overrides: [
          override({ id: 9, currency: 'EUR', schedules: explicit.schedules }),
        ],
        exchangeRates: new ExchangeRates('USD', [
          { currency: 'EUR', date: '2026-05-01', rate: '1.25' },
        ]),
      });

      const result = book.price('azure', 'gpt-4o', AT, MILLION_IN);

      // €2.80 at $1.25 per euro: $3.50.
      expect(result).toMatchObject({
        costPico: 3_500_000_000_000n,
        currency: 'USD',
      });
    });
  });

  describe('exchange rates', () => {
    // $1 per million input tokens, so 1,234,567 tokens cost $1.234567.
    const DOLLAR = version(50, {
      provider: 'openai',
      model: 'text-embedding-3-large',
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      input: '1',
      output: '0',
    });
    const book = new PriceBook({
      prices: [DOLLAR],
      exchangeRates: new ExchangeRates('EUR', [
        { currency: 'USD', date: '2026-03-01', rate: '0.9210' },
        { currency: 'USD', date: '2026-03-02', rate: '0.9480' },
        { currency: 'USD', date: '2026-03-31', rate: '0.9900' },
      ]),
    });
    const usage = usageOf({ inputTokens: 1_234_567 });
    const dollars = 1_234_567n * 1_000_000n;

    function costOn(day: string) {
      return book.price(
        'openai',
        'text-embedding-3-large',
        Date.parse(`${day}T10:00:00Z`),
        usage,
      );
    }

    it('converts at rate of first day', () => {
      expect(costOn('2026-03-01')).toMatchObject({
        costPico: (dollars * 9_210n) / 10_000n,
        currency: 'EUR',
      });
    });

    it('converts at rate of second day', () => {
      expect(costOn('2026-03-02')).toMatchObject({
        costPico: (dollars * 9_480n) / 10_000n,
      });
    });

    it('uses latest earlier rate', () => {
      expect(costOn('2026-03-15')).toMatchObject({
        costPico: (dollars * 9_480n) / 10_000n,
      });
    });

    it('sums month at daily rates', () => {
      const days = ['2026-03-01', '2026-03-02'];

      const total = days
        .map(costOn)
        .reduce(
          (sum, result) => sum + (result.priced ? result.costPico : 0n),
          0n,
        );

      // Not twice the rate of 2026-03-31.
      expect(total).toBe((dollars * (9_210n + 9_480n)) / 10_000n);
      expect(formatPico(total)).toBe('2.307405723');
    });

    it('keeps list cost in list currency', () => {
      expect(costOn('2026-03-01')).toMatchObject({
        listCostPico: dollars,
        listCurrency: 'USD',
      });
    });

    it('leaves day before first rate unpriced', () => {
      expect(costOn('2026-02-28')).toEqual({
        priced: false,
        reason: 'no exchange rate from USD to EUR on 2026-02-28',
      });
    });

    it('converts provider cost by day', () => {
      const converted = book.convert(
        2_000_000_000_000n,
        'USD',
        Date.parse('2026-03-02T23:59:59Z'),
      );

      expect(converted).toBe(1_896_000_000_000n);
    });

    it('returns no conversion without rate', () => {
      expect(
        book.convert(1n, 'GBP', Date.parse('2026-03-02T00:00:00Z')),
      ).toBeUndefined();
    });

    it('needs no rate for reporting currency', () => {
      expect(book.convert(5n, 'EUR', Date.parse('2020-01-01T00:00:00Z'))).toBe(
        5n,
      );
    });
  });

  describe('charges beside tokens', () => {
    const SEARCH = version(60, {
      provider: 'openai',
      model: 'gpt-4o-search',
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      input: '2.50',
      output: '10',
      request: '0.001',
      webSearch: '0.01',
    });
    const book = new PriceBook({ prices: [SEARCH] });

    it('adds request and web search charges', () => {
      const cost = costOf(
        book,
        'openai',
        'gpt-4o-search',
        usageOf({
          inputTokens: 1_000,
          outputTokens: 100,
          webSearchRequests: 3,
        }),
      );

      // $0.0025 + $0.001 of tokens, $0.001 per request, 3 × $0.01 searches.
      expect(cost).toBe(
        1_000n * 2_500_000n +
          100n * 10_000_000n +
          1_000_000_000n +
          3n * 10_000_000_000n,
      );
      expect(formatPico(cost)).toBe('0.0345');
    });
  });

  it('rejects parts above totals', () => {
    const book = new PriceBook({ prices: [GPT_4O] });
    const price = () =>
      book.price(
        'openai',
        'gpt-4o',
        AT,
        usageOf({ inputTokens: 100, cachedInputTokens: 101 }),
      );

    expect(price).toThrow(InputError);
  });

  it('defaults reporting currency to USD', () => {
    expect(new PriceBook({ prices: [] }).reportingCurrency).toBe('USD');
  });
});
