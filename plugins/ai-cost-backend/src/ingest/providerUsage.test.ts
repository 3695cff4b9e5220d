import {
  fromAnthropicUsage,
  fromGeminiUsage,
  fromOpenAiUsage,
  fromOtelGenAiAttributes,
} from './providerUsage';

describe('fromOpenAiUsage', () => {
  it('reads Chat Completions usage', () => {
    expect(
      fromOpenAiUsage({
        prompt_tokens: 1200,
        completion_tokens: 300,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 128, audio_tokens: 0 },
      }),
    ).toEqual({
      inputTokens: 1200,
      cachedInputTokens: 1024,
      inputAudioTokens: 0,
      outputTokens: 300,
      reasoningTokens: 128,
      outputAudioTokens: 0,
    });
  });

  it('reads Responses usage', () => {
    expect(
      fromOpenAiUsage({
        input_tokens: 45,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 1719,
        output_tokens_details: { reasoning_tokens: 1408 },
        total_tokens: 1764,
      }),
    ).toEqual({
      inputTokens: 45,
      cachedInputTokens: 0,
      outputTokens: 1719,
      reasoningTokens: 1408,
    });
  });

  it('reads cache writes inside the prompt', () => {
    expect(
      fromOpenAiUsage({
        input_tokens: 4020,
        input_tokens_details: { cache_write_tokens: 4012, cached_tokens: 0 },
        output_tokens: 5,
      }),
    ).toMatchObject({ inputTokens: 4020, cacheWriteTokens: 4012 });
  });

  it('treats null details as absent', () => {
    expect(
      fromOpenAiUsage({
        prompt_tokens: 10,
        completion_tokens: 2,
        prompt_tokens_details: null,
      }),
    ).toEqual({ inputTokens: 10, cachedInputTokens: 0, outputTokens: 2 });
  });

  it('rejects a negative count', () => {
    expect(() =>
      fromOpenAiUsage({ prompt_tokens: -1, completion_tokens: 2 }),
    ).toThrow('usage.prompt_tokens is -1');
  });

  it('rejects a fractional count', () => {
    expect(() =>
      fromOpenAiUsage({ prompt_tokens: 1.5, completion_tokens: 2 }),
    ).toThrow('usage.prompt_tokens is 1.5');
  });

  it('rejects NaN', () => {
    expect(() =>
      fromOpenAiUsage({ prompt_tokens: 10, completion_tokens: NaN }),
    ).toThrow('usage.completion_tokens is NaN');
  });

  it('rejects a count given as text', () => {
    expect(() =>
      fromOpenAiUsage({
        prompt_tokens: 10,
        completion_tokens: 2,
        prompt_tokens_details: { cached_tokens: '4' },
      }),
    ).toThrow('usage.prompt_tokens_details.cached_tokens is "4"');
  });

  it('rejects cached tokens above the prompt', () => {
    expect(() =>
      fromOpenAiUsage({
        prompt_tokens: 10,
        completion_tokens: 2,
        prompt_tokens_details: { cached_tokens: 11 },
      }),
    ).toThrow(/add up to 11, more than usage.prompt_tokens 10/);
  });

  it('rejects a missing completion count', () => {
    expect(() => fromOpenAiUsage({ prompt_tokens: 10 })).toThrow(
      'usage.completion_tokens is missing',
    );
  });

  it('rejects usage of no known API', () => {
    expect(() => fromOpenAiUsage({ tokens: 3 })).toThrow(
      /neither prompt_tokens/,
    );
  });
});

describe('fromAnthropicUsage', () => {
  it('adds cache reads and writes to the input', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 3,
        cache_read_input_tokens: 9511,
        cache_creation_input_tokens: 0,
        output_tokens: 1944,
      }),
    ).toEqual({
      inputTokens: 9514,
      cachedInputTokens: 9511,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 1944,
    });
  });

  it('splits cache writes by lifetime', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 100,
        cache_creation_input_tokens: 3000,
        cache_creation: {
          ephemeral_5m_input_tokens: 1000,
          ephemeral_1h_input_tokens: 2000,
        },
        output_tokens: 82,
      }),
    ).toMatchObject({
      inputTokens: 3100,
      cacheWriteTokens: 1000,
      cacheWrite1hTokens: 2000,
    });
  });

  it('counts unsplit cache writes as 5-minute writes', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 10,
        cache_creation_input_tokens: 500,
        output_tokens: 1,
      }),
    ).toMatchObject({ cacheWriteTokens: 500, cacheWrite1hTokens: 0 });
  });

  it('reads web searches, thinking and service tier', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 13,
        output_tokens: 44,
        output_tokens_details: { thinking_tokens: 33 },
        server_tool_use: { web_search_requests: 2, web_fetch_requests: 1 },
        service_tier: 'priority',
      }),
    ).toMatchObject({
      reasoningTokens: 33,
      webSearchRequests: 2,
      serviceTier: 'priority',
    });
  });

  it('rejects a split above the cache writes', () => {
    expect(() =>
      fromAnthropicUsage({
        input_tokens: 1,
        cache_creation_input_tokens: 10,
        cache_creation: { ephemeral_1h_input_tokens: 11 },
        output_tokens: 1,
      }),
    ).toThrow(/add up to more than usage.cache_creation_input_tokens 10/);
  });

  it('rejects a negative cache read', () => {
    expect(() =>
      fromAnthropicUsage({
        input_tokens: 1,
        cache_read_input_tokens: -5,
        output_tokens: 1,
      }),
    ).toThrow('usage.cache_read_input_tokens is -5');
  });
});

describe('fromGeminiUsage', () => {
  it('adds thoughts to the output', () => {
    expect(
      fromGeminiUsage({
        promptTokenCount: 1106,
        candidatesTokenCount: 778,
        thoughtsTokenCount: 1089,
        totalTokenCount: 2973,
      }),
    ).toEqual({
      inputTokens: 1106,
      cachedInputTokens: 0,
      outputTokens: 1867,
      reasoningTokens: 1089,
    });
  });

  it('keeps cached content inside the prompt', () => {
    expect(
      fromGeminiUsage({
        promptTokenCount: 345,
        cachedContentTokenCount: 230,
        candidatesTokenCount: 51,
      }),
    ).toMatchObject({ inputTokens: 345, cachedInputTokens: 230 });
  });

  it('adds tool-use prompt tokens to the input', () => {
    expect(
      fromGeminiUsage({
        promptTokenCount: 17,
        toolUsePromptTokenCount: 119,
        candidatesTokenCount: 201,
      }),
    ).toMatchObject({ inputTokens: 136 });
  });

  it('reads uncached audio and image input', () => {
    expect(
      fromGeminiUsage({
        promptTokenCount: 600,
        cachedContentTokenCount: 250,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 100 },
          { modality: 'AUDIO', tokenCount: 300 },
          { modality: 'IMAGE', tokenCount: 200 },
        ],
        cacheTokensDetails: [
          { modality: 'AUDIO', tokenCount: 200 },
          { modality: 'TEXT', tokenCount: 50 },
        ],
        candidatesTokenCount: 10,
      }),
    ).toMatchObject({
      inputTokens: 600,
      cachedInputTokens: 250,
      inputAudioTokens: 100,
      inputImageTokens: 200,
    });
  });

  it('reads image output', () => {
    expect(
      fromGeminiUsage({
        promptTokenCount: 33,
        candidatesTokenCount: 1780,
        candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1120 }],
        thoughtsTokenCount: 529,
      }),
    ).toMatchObject({ outputTokens: 2309, outputImageTokens: 1120 });
  });

  it('reads absent counts as zero', () => {
    expect(fromGeminiUsage({ promptTokenCount: 14 })).toEqual({
      inputTokens: 14,
      cachedInputTokens: 0,
      outputTokens: 0,
    });
  });

  it('rejects a detail without modality', () => {
    expect(() =>
      fromGeminiUsage({
        promptTokenCount: 1,
        promptTokensDetails: [{ tokenCount: 1 }],
      }),
    ).toThrow('usageMetadata.promptTokensDetails[0].modality is missing');
  });

  it('rejects a fractional thought count', () => {
    expect(() =>
      fromGeminiUsage({ promptTokenCount: 1, thoughtsTokenCount: 0.5 }),
    ).toThrow('usageMetadata.thoughtsTokenCount is 0.5');
  });
});

describe('fromOtelGenAiAttributes', () => {
  it('reads current attribute names', () => {
    expect(
      fromOtelGenAiAttributes({
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.cache_read.input_tokens': 50,
        'gen_ai.usage.cache_creation.input_tokens': 25,
        'gen_ai.usage.output_tokens': 180,
        'gen_ai.usage.reasoning.output_tokens': 50,
      }),
    ).toEqual({
      inputTokens: 100,
      cachedInputTokens: 50,
      cacheWriteTokens: 25,
      outputTokens: 180,
      reasoningTokens: 50,
    });
  });

  it('reads the older names', () => {
    expect(
      fromOtelGenAiAttributes({
        'gen_ai.usage.prompt_tokens': 42,
        'gen_ai.usage.completion_tokens': 7,
      }),
    ).toEqual({ inputTokens: 42, cachedInputTokens: 0, outputTokens: 7 });
  });

  it('reads OTLP/JSON integer strings', () => {
    expect(
      fromOtelGenAiAttributes({
        'gen_ai.usage.input_tokens': '9007199254740',
        'gen_ai.usage.output_tokens': '3',
      }),
    ).toMatchObject({ inputTokens: 9007199254740, outputTokens: 3 });
  });

  it('rejects cache reads above the input', () => {
    expect(() =>
      fromOtelGenAiAttributes({
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.cache_read.input_tokens': 20,
        'gen_ai.usage.output_tokens': 1,
      }),
    ).toThrow(/more than gen_ai.usage.input_tokens 10/);
  });

  it('rejects a negative output count', () => {
    expect(() =>
      fromOtelGenAiAttributes({
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': -1,
      }),
    ).toThrow('gen_ai.usage.output_tokens is -1');
  });

  it('rejects missing input tokens', () => {
    expect(() =>
      fromOtelGenAiAttributes({ 'gen_ai.usage.output_tokens': 1 }),
    ).toThrow(
      'gen_ai.usage.input_tokens and gen_ai.usage.prompt_tokens are missing',
    );
  });
});
