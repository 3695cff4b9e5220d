import { ReadOptions, readCsv, readJson, readJsonLines } from '../readers';

// Synthetic rows in the shape of LiteLLM proxy's LiteLLM_SpendLogs table,
// as its /spend/logs API returns them. No value comes from a real proxy.
const LITELLM: ReadOptions = { format: 'litellm-spend-logs', lineOffset: 0 };

function openAiRow(): Record<string, unknown> {
  return {
    request_id: 'chatcmpl-synthetic-001',
    call_type: 'acompletion',
    api_key: 'synthetic-key-hash',
    spend: 0.00028500000000000004,
    total_tokens: 1300,
    prompt_tokens: 1200,
    completion_tokens: 100,
    startTime: '2026-11-30T14:05:00.123000Z',
    endTime: '2026-11-30T14:05:01.456000Z',
    model: 'gpt-4o-2024-08-06',
    model_group: 'gpt-4o',
    model_id: 'synthetic-deployment-1',
    custom_llm_provider: 'openai',
    api_base: 'https://api.openai.com/v1',
    user: 'alice',
    metadata: {
      user_api_key_team_alias: 'support-ai',
      user_api_key_alias: 'support-bot-key',
      tags: ['prod', 'jobID:42'],
      requester_metadata: { 'service.name': 'support-assistant' },
      usage_object: {
        prompt_tokens: 1200,
        completion_tokens: 100,
        total_tokens: 1300,
        prompt_tokens_details: { cached_tokens: 1024, audio_tokens: null },
        completion_tokens_details: { reasoning_tokens: 64 },
      },
    },
    cache_hit: 'False',
    request_tags: ['prod'],
    team_id: 'team-123',
    end_user: 'customer-9',
    status: 'success',
  };
}

function anthropicRow(): Record<string, unknown> {
  return {
    request_id: 'synthetic-002',
    call_type: 'completion',
    spend: '0.0123',
    prompt_tokens: 3000,
    completion_tokens: 200,
    startTime: '2026-11-30T15:00:00Z',
    model: 'claude-sonnet-4-5-20250929',
    custom_llm_provider: 'anthropic',
    metadata: {
      usage_object: {
        prompt_tokens: 3000,
        completion_tokens: 200,
        cache_read_input_tokens: 2000,
        cache_creation_input_tokens: 500,
      },
    },
    status: 'success',
  };
}

describe('LiteLLM spend logs', () => {
  describe('JSON array', () => {
    const cacheHit = {
      ...openAiRow(),
      request_id: 'synthetic-003',
      spend: 0,
      cache_hit: 'True',
    };
    const failed = {
      ...openAiRow(),
      request_id: 'synthetic-004',
      spend: 0,
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      metadata: {},
      status: 'failure',
    };
    const prefixed = {
      request_id: 'synthetic-005',
      call_type: 'aembedding',
      spend: 1.3e-7,
      prompt_tokens: 650,
      completion_tokens: 0,
      startTime: '2026-11-30 16:00:00',
      model: 'azure/text-embedding-3-small',
      metadata: null,
    };
    const batch = readJson(
      [openAiRow(), anthropicRow(), cacheHit, failed, prefixed],
      LITELLM,
    );

    it('reads OpenAI row', () => {
      expect(batch.records[0]).toEqual({
        timestamp: Date.UTC(2026, 10, 30, 14, 5, 0, 123),
        attributes: {
          'litellm.team_id': 'team-123',
          'litellm.team_alias': 'support-ai',
          'litellm.key_alias': 'support-bot-key',
          'litellm.user': 'alice',
          'litellm.end_user': 'customer-9',
          'litellm.model_group': 'gpt-4o',
          'litellm.tag.prod': 'true',
          'litellm.tag.jobID': '42',
          'service.name': 'support-assistant',
        },
        provider: 'openai',
        model: 'gpt-4o-2024-08-06',
        inputTokens: 1200,
        cachedInputTokens: 1024,
        outputTokens: 100,
        reasoningTokens: 64,
        providerCost: '0.000285',
        providerCostCurrency: 'USD',
        requestId: 'litellm:chatcmpl-synthetic-001',
        operation: 'chat',
      });
    });

    it('reads Anthropic cache writes', () => {
      expect(batch.records[1]).toMatchObject({
        provider: 'anthropic',
        inputTokens: 3000,
        cachedInputTokens: 2000,
        cacheWriteTokens: 500,
        outputTokens: 200,
        providerCost: '0.0123',
      });
    });

    it('marks LiteLLM cache hit', () => {
      expect(batch.records[2].semanticCacheHit).toBe(true);
      expect(batch.records[2].providerCost).toBe('0');
    });

    it('leaves out cache flag otherwise', () => {
      expect(batch.records[0].semanticCacheHit).toBeUndefined();
    });

    it('skips failed request without tokens', () => {
      expect(batch.skipped).toEqual([
        { reason: 'failed request without usage', records: 1 },
      ]);
      expect(batch.records.map(record => record.requestId)).not.toContain(
        'litellm:synthetic-004',
      );
    });

    it('splits provider prefix off model', () => {
      expect(batch.records[3]).toMatchObject({
        provider: 'azure',
        model: 'text-embedding-3-small',
        operation: 'embeddings',
        timestamp: Date.UTC(2026, 10, 30, 16),
        providerCost: '0.00000013',
      });
    });

    it('numbers records by array index', () => {
      expect(batch.positions).toEqual([0, 1, 2, 4]);
    });

    it('reports no errors', () => {
      expect(batch.errors).toEqual([]);
    });
  });

  it('reads data property of v2 API', () => {
    const batch = readJson({ data: [anthropicRow()], total: 1 }, LITELLM);

    expect(batch.errors).toEqual([]);
    expect(batch.records.map(record => record.requestId)).toEqual([
      'litellm:synthetic-002',
    ]);
  });

  it('rejects body of unknown shape', () => {
    const batch = readJson({ rows: [] }, LITELLM);

    expect(batch.errors).toEqual([
      {
        record: 0,
        field: 'body',
        message:
          'body is not a JSON shape of litellm-spend-logs; see docs/usage-import.md for the shapes',
      },
    ]);
  });

  describe('bad rows', () => {
    const rows = [
      openAiRow(),
      { ...anthropicRow(), prompt_tokens: -5 },
      { ...anthropicRow(), request_id: undefined },
      { ...anthropicRow(), startTime: '30.11.2026' },
      { ...anthropicRow(), spend: 'free' },
      { ...anthropicRow(), custom_llm_provider: null },
      { ...anthropicRow(), metadata: '{not json' },
      {
        ...anthropicRow(),
        completion_tokens: 10,
        metadata: {
          usage_object: { completion_tokens_details: { reasoning_tokens: 11 } },
        },
      },
      {
        ...anthropicRow(),
        metadata: {
          usage_object: { prompt_tokens_details: { cached_tokens: 1.5 } },
        },
      },
      anthropicRow(),
    ];
    const batch = readJson(rows, { ...LITELLM, lineOffset: 10 });

    it('keeps good rows', () => {
      expect(batch.positions).toEqual([10, 19]);
    });

    it('rejects negative token count', () => {
      expect(batch.errors[0]).toEqual({
        record: 11,
        field: 'prompt_tokens',
        message:
          'prompt_tokens -5 is not a token count; use a whole number from 0 to 100000000',
      });
    });

    it('rejects missing request id', () => {
      expect(batch.errors[1]).toEqual({
        record: 12,
        field: 'request_id',
        message: 'missing request_id',
      });
    });

    it('rejects invalid start time', () => {
      expect(batch.errors[2].record).toBe(13);
      expect(batch.errors[2].field).toBe('startTime');
      expect(batch.errors[2].message).toMatch(
        /^startTime "30.11.2026" is not an ISO 8601 date-time/,
      );
    });

    it('rejects spend that is no amount', () => {
      expect(batch.errors[3]).toEqual({
        record: 14,
        field: 'spend',
        message:
          'spend "free" is not a cost; use a non-negative decimal amount such as 0.0125',
      });
    });

    it('rejects model without provider', () => {
      expect(batch.errors[4]).toEqual({
        record: 15,
        field: 'custom_llm_provider',
        message:
          'missing custom_llm_provider, and model "claude-sonnet-4-5-20250929" has no provider prefix such as openai/; export the custom_llm_provider column',
      });
    });

    it('rejects metadata that is no JSON', () => {
      expect(batch.errors[5]).toEqual({
        record: 16,
        field: 'metadata',
        message: 'metadata "{not json" is not a JSON object',
      });
    });

    it('rejects reasoning above completion tokens', () => {
      expect(batch.errors[6]).toEqual({
        record: 17,
        field: 'metadata.usage_object',
        message:
          'metadata.usage_object reports 11 reasoning, audio and image output tokens, more than completion_tokens 10',
      });
    });

    it('rejects fractional detail count', () => {
      expect(batch.errors[7]).toEqual({
        record: 18,
        field: 'metadata.usage_object.prompt_tokens_details.cached_tokens',
        message:
          'metadata.usage_object.prompt_tokens_details.cached_tokens 1.5 is not a token count; use a whole number from 0 to 100000000',
      });
    });

    it('reports exactly these errors', () => {
      expect(batch.errors.length).toBe(8);
    });
  });

  describe('CSV export', () => {
    // Column names and order of a PostgreSQL export of the table, with
    // columns that the reader does not use.
    const header =
      'request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,startTime,endTime,model,model_group,custom_llm_provider,api_base,user,metadata,cache_hit,cache_key,request_tags,team_id,end_user,requester_ip_address,status';
    const metadata = JSON.stringify({
      user_api_key_team_alias: 'search',
      usage_object: {
        prompt_tokens: 900,
        completion_tokens: 40,
        prompt_tokens_details: { cached_tokens: 512 },
      },
    });
    const quotedMetadata = `"${metadata.replace(/"/g, '""')}"`;
    const text = [
      header,
      `csv-001,acompletion,hash,0.000375,940,900,40,2026-11-30 14:05:00.123,2026-11-30 14:05:01.000,gpt-4o-mini,gpt-4o-mini,openai,,bob,${quotedMetadata},False,,"[""nightly""]",team-7,,127.0.0.1,success`,
      `csv-002,acompletion,hash,0.0001,10,abc,5,2026-11-30 14:06:00,,gpt-4o-mini,,openai,,,{},False,,[],,,,success`,
      `csv-003,acompletion,hash,0,0,0,0,2026-11-30 14:07:00,,gpt-4o-mini,,openai,,,{},None,,[],,,,failure`,
    ].join('\n');
    const batch = readCsv(text, LITELLM);

    it('reads row with JSON metadata', () => {
      expect(batch.records).toEqual([
        {
          timestamp: Date.UTC(2026, 10, 30, 14, 5, 0, 123),
          attributes: {
            'litellm.team_id': 'team-7',
            'litellm.team_alias': 'search',
            'litellm.user': 'bob',
            'litellm.model_group': 'gpt-4o-mini',
            'litellm.tag.nightly': 'true',
          },
          provider: 'openai',
          model: 'gpt-4o-mini',
          inputTokens: 900,
          cachedInputTokens: 512,
          outputTokens: 40,
          providerCost: '0.000375',
          providerCostCurrency: 'USD',
          requestId: 'litellm:csv-001',
          operation: 'chat',
        },
      ]);
    });

    it('rejects count that is text', () => {
      expect(batch.errors).toEqual([
        {
          record: 3,
          field: 'prompt_tokens',
          message:
            'prompt_tokens "abc" is not a token count; use a whole number from 0 to 100000000',
        },
      ]);
    });

    it('counts skipped failure line', () => {
      expect(batch.skipped).toEqual([
        { reason: 'failed request without usage', records: 1 },
      ]);
    });

    it('rejects header without token column', () => {
      const missing = readCsv(
        'request_id,startTime,model,prompt_tokens\ncsv-9,2026-11-30,gpt-4o,5\n',
        LITELLM,
      );

      expect(missing.errors).toEqual([
        {
          record: 1,
          field: 'completion_tokens',
          message:
            'CSV header lacks column completion_tokens; the required columns are request_id,startTime,model,prompt_tokens,completion_tokens, and the optional ones are listed in docs/usage-import.md',
        },
      ]);
    });
  });

  it('reads JSON Lines rows', () => {
    const text = [anthropicRow(), { ...anthropicRow(), request_id: 'x-2' }]
      .map(row => JSON.stringify(row))
      .join('\n');

    const batch = readJsonLines(text, { ...LITELLM, lineOffset: 7 });

    expect(batch.errors).toEqual([]);
    expect(batch.positions).toEqual([8, 9]);
  });
});
