import { parsePriceInput, PriceInput } from '../priceSheet';
import { LITELLM_SHEET, readDataJson } from './__testUtils__/dataDir';
import { loadLiteLlmPrices } from './litellm';

// Entries in LiteLLM's format, prices in dollars per token.
const SHEET = {
  sample_spec: { litellm_provider: 'one of …', input_cost_per_token: 0 },
  'gpt-4o': {
    litellm_provider: 'openai',
    mode: 'chat',
    input_cost_per_token: 2.5e-6,
    cache_read_input_token_cost: 1.25e-6,
    output_cost_per_token: 1e-5,
    input_cost_per_token_batches: 1.25e-6,
    output_cost_per_token_batches: 5e-6,
    input_cost_per_token_priority: 4.25e-6,
    output_cost_per_token_priority: 1.7e-5,
  },
  'azure/gpt-4o': {
    litellm_provider: 'azure',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
  },
  'openrouter/openai/gpt-4o': {
    litellm_provider: 'openrouter',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
  },
  'claude-sonnet-4-5': {
    litellm_provider: 'anthropic',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    cache_read_input_token_cost: 3e-7,
    cache_creation_input_token_cost: 3.75e-6,
    cache_creation_input_token_cost_above_1hr: 6e-6,
    input_cost_per_token_above_200k_tokens: 6e-6,
    output_cost_per_token_above_200k_tokens: 2.25e-5,
    cache_read_input_token_cost_above_200k_tokens: 6e-7,
    cache_creation_input_token_cost_above_200k_tokens: 7.5e-6,
    cache_creation_input_token_cost_above_1hr_above_200k_tokens: 1.2e-5,
    search_context_cost_per_query: {
      search_context_size_low: 0.01,
      search_context_size_medium: 0.01,
      search_context_size_high: 0.01,
    },
  },
  'xai/grok-4-fast-reasoning': {
    litellm_provider: 'xai',
    input_cost_per_token: 2e-7,
    output_cost_per_token: 5e-7,
    input_cost_per_token_above_128k_tokens: 4e-7,
    output_cost_per_token_above_128k_tokens: 1e-6,
  },
  'gemini-2.5-pro': {
    litellm_provider: 'vertex_ai-language-models',
    input_cost_per_token: 1.25e-6,
    output_cost_per_token: 1e-5,
    input_cost_per_token_priority: 2.5e-6,
    output_cost_per_token_priority: 2e-5,
    input_cost_per_token_above_200k_tokens: 2.5e-6,
    output_cost_per_token_above_200k_tokens: 1.5e-5,
    input_cost_per_token_above_200k_tokens_priority: 5e-6,
  },
  'gpt-4o-audio-preview': {
    litellm_provider: 'openai',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
    input_cost_per_audio_token: 4e-5,
    output_cost_per_audio_token: 8e-5,
    output_cost_per_reasoning_token: 1e-5,
  },
  'openrouter/auto': {
    litellm_provider: 'openrouter',
    input_cost_per_token: -1,
    output_cost_per_token: -1,
  },
  'dall-e-3': {
    litellm_provider: 'openai',
    mode: 'image_generation',
    output_cost_per_image: 0.04,
  },
  'databricks/databricks-claude-opus-4': {
    litellm_provider: 'databricks',
    input_cost_per_token: 1.5000020000000002e-5,
    output_cost_per_token: 7.500003000000001e-5,
    input_dbu_cost_per_token: 0.000214286,
  },
  'gpt-4o-0.1': {
    litellm_provider: 'openai',
    input_cost_per_token: 1.0000001e-7,
    output_cost_per_token: 1e-7,
  },
  'openai/gpt-4o': {
    litellm_provider: 'openai',
    input_cost_per_token: 5e-6,
    output_cost_per_token: 1.5e-5,
  },
};

function priceOf(prices: PriceInput[], provider: string, model: string) {
  const found = prices.find(
    price => price.provider === provider && price.model === model,
  );
  if (!found) {
    throw new Error(`${provider}/${model} was not loaded`);
  }
  return found;
}

describe('loadLiteLlmPrices', () => {
  const loaded = loadLiteLlmPrices(SHEET, { effectiveFrom: '2026-07-24' });

  it('converts per-token prices to per million', () => {
    const price = priceOf(loaded.prices, 'openai', 'gpt-4o');

    expect(price).toMatchObject({
      effectiveFrom: '2026-07-24',
      currency: 'USD',
      input: '2.5',
      cachedInput: '1.25',
      output: '10',
    });
  });

  it('reads batch and priority schedules', () => {
    const price = priceOf(loaded.prices, 'openai', 'gpt-4o');

    expect(price.batch).toEqual({ input: '1.25', output: '5' });
    expect(price.priority).toEqual({
      input: '4.25',
      cachedInput: '1.25',
      output: '17',
    });
  });

  it('strips the own provider prefix', () => {
    expect(priceOf(loaded.prices, 'azure', 'gpt-4o').input).toBe('2.5');
  });

  it('keeps another provider prefix', () => {
    expect(priceOf(loaded.prices, 'openrouter', 'openai/gpt-4o').output).toBe(
      '10',
    );
  });

  it('maps vertex_ai model families to vertex_ai', () => {
    expect(priceOf(loaded.prices, 'vertex_ai', 'gemini-2.5-pro').input).toBe(
      '1.25',
    );
  });

  it('reads cache writes, web search and a long-context tier', () => {
    const price = priceOf(loaded.prices, 'anthropic', 'claude-sonnet-4-5');

    expect(price).toMatchObject({
      cachedInput: '0.3',
      cacheWrite: '3.75',
      cacheWrite1h: '6',
      webSearch: '0.01',
      tiers: [
        {
          aboveInputTokens: 200000,
          input: '6',
          output: '22.5',
          cachedInput: '0.6',
          cacheWrite: '7.5',
          cacheWrite1h: '12',
        },
      ],
    });
  });

  it('applies xAI thresholds from the threshold itself', () => {
    const price = priceOf(loaded.prices, 'xai', 'grok-4-fast-reasoning');

    expect(price.tiers).toEqual([
      { aboveInputTokens: 127999, input: '0.4', output: '1' },
    ]);
  });

  it('gives priority tiers the standard tier prices it lacks', () => {
    const price = priceOf(loaded.prices, 'vertex_ai', 'gemini-2.5-pro');

    expect(price.priority).toEqual({
      input: '2.5',
      output: '20',
      tiers: [{ aboveInputTokens: 200000, input: '5', output: '15' }],
    });
  });

  it('reads audio and reasoning prices', () => {
    expect(
      priceOf(loaded.prices, 'openai', 'gpt-4o-audio-preview'),
    ).toMatchObject({ inputAudio: '40', outputAudio: '80', reasoning: '10' });
  });

  it('marks negative prices as dynamic', () => {
    expect(priceOf(loaded.prices, 'openrouter', 'auto')).toMatchObject({
      input: '0',
      output: '0',
      dynamic: true,
    });
  });

  it('skips entries not priced per token', () => {
    expect(loaded.skipped).toContainEqual({
      model: 'dall-e-3',
      reason: 'no input_cost_per_token: not priced per token',
    });
  });

  it('skips the field documentation', () => {
    expect(loaded.skipped.map(entry => entry.model)).toContain('sample_spec');
  });

  it('skips a second entry for a model', () => {
    expect(loaded.skipped).toContainEqual({
      model: 'openai/gpt-4o',
      reason:
        'duplicate of "gpt-4o" for provider openai, other prices; the first is kept',
    });
  });

  it('normalises float artefacts', () => {
    expect(
      priceOf(loaded.prices, 'databricks', 'databricks-claude-opus-4'),
    ).toMatchObject({ input: '15.00002', output: '75.00003' });
  });

  it('lists fields without a rate', () => {
    expect(loaded.partial).toEqual([
      {
        model: 'databricks/databricks-claude-opus-4',
        reason: 'fields without a rate in the engine: input_dbu_cost_per_token',
      },
    ]);
  });

  it('rounds beyond six decimals and counts it', () => {
    expect(priceOf(loaded.prices, 'openai', 'gpt-4o-0.1').input).toBe('0.1');
    expect(loaded.rounded).toBe(1);
  });

  it('defaults effectiveFrom to the undated start', () => {
    const undated = loadLiteLlmPrices(SHEET);

    expect(priceOf(undated.prices, 'azure', 'gpt-4o').effectiveFrom).toBe(
      '2020-01-01',
    );
  });

  it('rejects a sheet that is not an object', () => {
    expect(() => loadLiteLlmPrices([])).toThrow(/expected a JSON object/);
  });
});

describe('loadLiteLlmPrices on the 2026-07-24 sheet', () => {
  const loaded = loadLiteLlmPrices(readDataJson(LITELLM_SHEET), {
    effectiveFrom: '2026-07-24',
  });

  it('loads every token-priced model', () => {
    expect(loaded.prices).toHaveLength(2459);
  });

  it('skips the rest with reasons', () => {
    expect(loaded.skipped).toHaveLength(526);
  });

  it('rounds no figure', () => {
    expect(loaded.rounded).toBe(0);
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

  it('reads gpt-5 flex prices', () => {
    expect(priceOf(loaded.prices, 'openai', 'gpt-5').flex).toEqual({
      input: '0.625',
      cachedInput: '0.0625',
      output: '5',
    });
  });

  it('reads Bedrock Claude under bedrock', () => {
    expect(
      priceOf(
        loaded.prices,
        'bedrock',
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      ),
    ).toMatchObject({ input: '3.3', output: '16.5', cacheWrite1h: '6.6' });
  });
});
