import { loadGenaiPrices } from '../loaders/genaiPrices';
import { loadLiteLlmPrices } from '../loaders/litellm';
import {
  GENAI_PRICES_DATA,
  LITELLM_SHEET,
  readDataJson,
} from '../loaders/__testUtils__/dataDir';
import { parsePriceInput, PriceInput } from '../priceSheet';
import { CURATED_PRICES } from './curatedPrices';

function curated(provider: string, model: string, effectiveFrom?: string) {
  const found = CURATED_PRICES.find(
    price =>
      price.provider === provider &&
      price.model === model &&
      (effectiveFrom === undefined || price.effectiveFrom === effectiveFrom),
  );
  if (!found) {
    throw new Error(`${provider}/${model} is not curated`);
  }
  return found;
}

function sheetPrice(prices: PriceInput[], provider: string, model: string) {
  const found = prices.filter(
    price => price.provider === provider && price.model === model,
  );
  if (found.length === 0) {
    throw new Error(`${provider}/${model} is not in the sheet`);
  }
  return found[found.length - 1];
}

describe('CURATED_PRICES', () => {
  it.each(CURATED_PRICES.map(price => [price.provider, price.model, price]))(
    'parses %s/%s',
    (_provider, _model, price) => {
      expect(() => parsePriceInput(price as PriceInput)).not.toThrow();
    },
  );

  it('names a source for every entry', () => {
    expect(CURATED_PRICES.filter(price => !price.source)).toEqual([]);
  });

  it('has one entry per provider, model and start', () => {
    const keys = CURATED_PRICES.map(
      price => `${price.provider}/${price.model}@${price.effectiveFrom}`,
    );

    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('CURATED_PRICES against the sheets', () => {
  const genai = loadGenaiPrices(readDataJson(GENAI_PRICES_DATA)).prices;
  const litellm = loadLiteLlmPrices(readDataJson(LITELLM_SHEET)).prices;

  it.each([
    ['openai', 'gpt-4o'],
    ['openai', 'gpt-5-mini'],
    ['openai', 'o4-mini'],
    ['anthropic', 'claude-opus-4-1'],
    ['gemini', 'gemini-2.5-flash'],
  ])('matches genai-prices for %s/%s', (provider, model) => {
    const price = curated(provider, model);
    const sheet = sheetPrice(genai, provider, model);

    expect([price.input, price.cachedInput, price.output]).toEqual([
      sheet.input,
      sheet.cachedInput,
      sheet.output,
    ]);
  });

  it('matches the claude-sonnet-4-5 tier of genai-prices', () => {
    expect(curated('anthropic', 'claude-sonnet-4-5').tiers).toEqual(
      sheetPrice(genai, 'anthropic', 'claude-sonnet-4-5').tiers,
    );
  });

  it('matches the gemini-2.5-pro tier of genai-prices', () => {
    expect(curated('gemini', 'gemini-2.5-pro').tiers).toEqual(
      sheetPrice(genai, 'gemini', 'gemini-2.5-pro').tiers,
    );
  });

  it('matches the dated o3 price of genai-prices', () => {
    expect(curated('openai', 'o3', '2025-06-10').input).toBe(
      sheetPrice(genai, 'openai', 'o3').input,
    );
  });

  it('matches the gpt-5 flex prices of LiteLLM', () => {
    expect(curated('openai', 'gpt-5').flex).toEqual(
      sheetPrice(litellm, 'openai', 'gpt-5').flex,
    );
  });

  it('matches the gpt-4o batch prices of LiteLLM', () => {
    expect(curated('openai', 'gpt-4o').batch).toEqual(
      sheetPrice(litellm, 'openai', 'gpt-4o').batch,
    );
  });

  it('matches the Bedrock US Sonnet 4.5 tier of LiteLLM', () => {
    const model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

    expect(curated('bedrock', model).tiers).toEqual(
      sheetPrice(litellm, 'bedrock', model).tiers,
    );
  });

  it('takes LiteLLM for mistral-large-latest', () => {
    const price = curated('mistral', 'mistral-large-latest');
    const sheet = sheetPrice(litellm, 'mistral', 'mistral-large-latest');

    expect([price.input, price.output]).toEqual([sheet.input, sheet.output]);
  });
});
