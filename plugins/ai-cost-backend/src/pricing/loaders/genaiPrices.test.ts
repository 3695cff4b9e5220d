import { parsePriceInput, PriceInput } from '../priceSheet';
import { GENAI_PRICES_DATA, readDataJson } from './__testUtils__/dataDir';
import { loadGenaiPrices } from './genaiPrices';

// Providers in the genai-prices v2 format, prices in dollars per million
// tokens and per thousand requests or searches.
const DATA = [
  {
    id: 'anthropic',
    name: 'Anthropic',
    pricing_urls: ['https://www.anthropic.com/pricing#api'],
    models: [
      {
        id: 'claude-sonnet-4-5',
        match: {
          or: [
            { starts_with: 'claude-sonnet-4-5' },
            { equals: 'claude-sonnet-4.5' },
          ],
        },
        prices: {
          input_mtok: { base: 3, tiers: [{ start: 200000, price: 6 }] },
          cache_write_mtok: {
            base: 3.75,
            tiers: [{ start: 200000, price: 7.5 }],
          },
          cache_read_mtok: 0.3,
          output_mtok: { base: 15, tiers: [{ start: 200000, price: 22.5 }] },
          cache_write_1h_mtok: 6,
          web_searches_kcount: 10,
        },
      },
    ],
  },
  {
    id: 'openai',
    name: 'OpenAI',
    models: [
      {
        id: 'o3',
        match: { equals: 'o3' },
        prices: [
          { prices: { input_mtok: 10, cache_read_mtok: 0.5, output_mtok: 40 } },
          {
            constraint: { start_date: '2025-06-10' },
            prices: { input_mtok: 2, cache_read_mtok: 0.5, output_mtok: 8 },
          },
        ],
      },
      {
        id: 'text-embedding-3-small',
        match: { equals: 'text-embedding-3-small' },
        prices: { input_mtok: 0.02 },
      },
      {
        id: 'gpt-4o-audio',
        match: { equals: 'gpt-4o-audio' },
        prices: {
          input_mtok: 2.5,
          output_mtok: 10,
          input_audio_mtok: 40,
          output_audio_mtok: 80,
          requests_kcount: 1,
          input_video_mtok: 3,
        },
      },
      {
        id: 'gpt-5.6-luna',
        match: { equals: 'gpt-5.6-luna' },
        prices: {
          input_mtok: { base: 1, tiers: [{ start: 272000, price: 2 }] },
          cache_read_mtok: {
            base: 0.1,
            tiers: [{ start: 128000, price: 0.2 }],
          },
          output_mtok: 6,
        },
      },
    ],
  },
  {
    id: 'azure',
    name: 'Azure',
    fallback_model_providers: ['openai', 'anthropic'],
    models: [
      {
        id: 'o3-2025-04-16',
        match: { starts_with: 'o3' },
        prices: { input_mtok: 2, output_mtok: 8 },
      },
    ],
  },
  {
    id: 'mistral',
    name: 'Mistral',
    models: [
      {
        id: 'mistral-medium-3',
        match: { starts_with: 'mistral-medium' },
        prices: { input_mtok: 0.4, output_mtok: 2 },
      },
      {
        id: 'mistral-medium-2312',
        match: { or: [{ equals: 'mistral-medium-latest' }] },
        prices: { input_mtok: 2.7, output_mtok: 8.1 },
      },
    ],
  },
  {
    id: 'deepseek',
    name: 'DeepSeek',
    models: [
      {
        id: 'deepseek-chat',
        match: { equals: 'deepseek-chat' },
        prices: [
          { prices: { input_mtok: 0.135, output_mtok: 0.55 } },
          {
            constraint: { start_time: '00:30:00Z', end_time: '16:30:00Z' },
            prices: { input_mtok: 0.27, output_mtok: 1.1 },
          },
        ],
      },
    ],
  },
  {
    id: 'aws',
    name: 'AWS Bedrock',
    models: [
      {
        id: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        match: { contains: 'global.anthropic.claude-sonnet-4-5-20250929' },
        prices: { input_mtok: 3, output_mtok: 15 },
      },
    ],
  },
  {
    id: 'google',
    name: 'Google',
    models: [
      {
        id: 'gemini-3-flash',
        match: { equals: 'gemini-3-flash' },
        prices: { input_mtok: 0.18000000000000002, output_mtok: 3 },
      },
      {
        id: 'gemini-flash-latest',
        match: { equals: 'gemini-flash-latest' },
        prices: {
          input_mtok: 0.3,
          cache_write_mtok: 0.08333333333333334,
          output_mtok: 2.5,
        },
      },
    ],
  },
];

function pricesOf(prices: PriceInput[], provider: string, model: string) {
  return prices.filter(
    price => price.provider === provider && price.model === model,
  );
}

function priceOf(prices: PriceInput[], provider: string, model: string) {
  const [found] = pricesOf(prices, provider, model);
  if (!found) {
    throw new Error(`${provider}/${model} was not loaded`);
  }
  return found;
}

describe('loadGenaiPrices', () => {
  const loaded = loadGenaiPrices(DATA);

  it('reads prices per million tokens', () => {
    expect(
      priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4-5'),
    ).toMatchObject({
      effectiveFrom: '2020-01-01',
      currency: 'USD',
      input: '3',
      cachedInput: '0.3',
      cacheWrite: '3.75',
      cacheWrite1h: '6',
      output: '15',
    });
  });

  it('divides per-thousand prices', () => {
    expect(
      priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4-5').webSearch,
    ).toBe('0.01');
  });

  it('combines tiered keys into one tier', () => {
    expect(
      priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4-5').tiers,
    ).toEqual([
      {
        aboveInputTokens: 200000,
        input: '6',
        cacheWrite: '7.5',
        output: '22.5',
      },
    ]);
  });

  it('carries a lower tier into a higher one', () => {
    expect(priceOf(loaded.prices, 'openai', 'gpt-5.6-luna').tiers).toEqual([
      { aboveInputTokens: 128000, cachedInput: '0.2' },
      { aboveInputTokens: 272000, input: '2', cachedInput: '0.2' },
    ]);
  });

  it('loads each start date as a version', () => {
    const versions = pricesOf(loaded.prices, 'openai', 'o3').map(price => [
      price.effectiveFrom,
      price.input,
      price.output,
    ]);

    expect(versions).toEqual([
      ['2020-01-01', '10', '40'],
      ['2025-06-10', '2', '8'],
    ]);
  });

  it('loads equals aliases as model names', () => {
    expect(priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4.5').input).toBe(
      '3',
    );
  });

  it('loads condition texts as model names', () => {
    expect(priceOf(loaded.prices, 'azure', 'o3').input).toBe('2');
  });

  it('gives a name to the first model that matches it', () => {
    expect(
      priceOf(loaded.prices, 'mistral', 'mistral-medium-latest').input,
    ).toBe('0.4');
  });

  it('loads no fallback names by default', () => {
    expect(pricesOf(loaded.prices, 'azure', 'claude-sonnet-4-5')).toEqual([]);
  });

  it('loads fallback names on request', () => {
    const withFallbacks = loadGenaiPrices(DATA, { fallbackProviders: true });

    expect(
      priceOf(withFallbacks.prices, 'azure', 'claude-sonnet-4-5'),
    ).toMatchObject({
      input: '3',
      source:
        'genai-prices v2 data, model anthropic/claude-sonnet-4-5, provider pricing page https://www.anthropic.com/pricing#api, priced as anthropic/claude-sonnet-4-5 through fallback_model_providers',
    });
  });

  it('keeps own names before fallback names', () => {
    const withFallbacks = loadGenaiPrices(DATA, { fallbackProviders: true });

    expect(pricesOf(withFallbacks.prices, 'azure', 'o3')).toEqual([
      expect.objectContaining({ input: '2', output: '8' }),
    ]);
  });

  it('loads google prices under vertex_ai', () => {
    expect(priceOf(loaded.prices, 'vertex_ai', 'gemini-3-flash').input).toBe(
      '0.18',
    );
  });

  it('maps provider ids to the catalog', () => {
    expect(
      priceOf(
        loaded.prices,
        'bedrock',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      ).input,
    ).toBe('3');
  });

  it('maps google to gemini', () => {
    expect(priceOf(loaded.prices, 'gemini', 'gemini-3-flash').input).toBe(
      '0.18',
    );
  });

  it('names the provider pricing page', () => {
    expect(
      priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4-5').source,
    ).toBe(
      'genai-prices v2 data, model anthropic/claude-sonnet-4-5, provider pricing page https://www.anthropic.com/pricing#api',
    );
  });

  it('reads audio and request prices', () => {
    expect(priceOf(loaded.prices, 'openai', 'gpt-4o-audio')).toMatchObject({
      inputAudio: '40',
      outputAudio: '80',
      request: '0.001',
    });
  });

  it('lists keys without a rate', () => {
    expect(loaded.partial).toEqual([
      {
        model: 'openai/gpt-4o-audio',
        reason: 'keys without a rate in the engine: input_video_mtok',
      },
    ]);
  });

  it('skips a model without an output price', () => {
    expect(loaded.skipped).toContainEqual({
      model: 'openai/text-embedding-3-small',
      reason: 'no output_mtok: not priced per output token',
    });
  });

  it('skips time-of-day prices', () => {
    expect(loaded.skipped).toContainEqual({
      model: 'deepseek/deepseek-chat',
      reason:
        'prices depend on the time of day (off-peak prices), which the engine does not support',
    });
  });

  it('rounds a repeating fraction and counts it', () => {
    expect(
      priceOf(loaded.prices, 'gemini', 'gemini-flash-latest').cacheWrite,
    ).toBe('0.083333');
    expect(loaded.rounded).toBe(1);
  });

  it('rejects data that is not a list', () => {
    expect(() => loadGenaiPrices({})).toThrow(/expected a JSON array/);
  });
});

describe('loadGenaiPrices on the data of commit 47df840', () => {
  const loaded = loadGenaiPrices(readDataJson(GENAI_PRICES_DATA));

  it('loads models under their names and start dates', () => {
    expect(loaded.prices).toHaveLength(2188);
  });

  it('adds fallback names on request', () => {
    const withFallbacks = loadGenaiPrices(readDataJson(GENAI_PRICES_DATA), {
      fallbackProviders: true,
    });

    expect(withFallbacks.prices).toHaveLength(2544);
  });

  it('skips models without token prices', () => {
    expect(loaded.skipped).toHaveLength(198);
  });

  it('rounds six repeating fractions', () => {
    expect(loaded.rounded).toBe(6);
  });

  it('lists models with keys left out', () => {
    expect(loaded.partial).toHaveLength(17);
  });

  it('produces only valid prices', () => {
    const invalid = loaded.prices.filter(price => {
      try {
        parsePriceInput(price);
        return false;
      } catch {
        return true;
      }
    });

    expect(invalid).toEqual([]);
  });

  it('reads the gemini-2.5-pro tier', () => {
    expect(priceOf(loaded.prices, 'gemini', 'gemini-2.5-pro')).toMatchObject({
      input: '1.25',
      output: '10',
      tiers: [
        {
          aboveInputTokens: 200000,
          input: '2.5',
          cachedInput: '0.25',
          output: '15',
        },
      ],
    });
  });
});
