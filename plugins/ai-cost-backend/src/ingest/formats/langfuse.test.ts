import { ReadOptions, readCsv, readJson, readJsonLines } from '../readers';

// Synthetic observations in the shape of Langfuse's public API and trace
// export. Usage types follow Langfuse's convention: `input` excludes the
// cache reads that `input_cache_read` counts, `output` excludes the
// reasoning that `output_reasoning` counts.
const LANGFUSE: ReadOptions = { format: 'langfuse', lineOffset: 0 };

const TRACE = {
  id: 'trace-synthetic-1',
  name: 'answer-ticket',
  userId: 'user-7',
  sessionId: 'session-3',
  environment: 'production',
  tags: ['team:search', 'beta'],
  metadata: JSON.stringify({
    resourceAttributes: { 'service.name': 'support-assistant' },
  }),
};

function generation(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    traceId: 'trace-synthetic-1',
    type: 'GENERATION',
    name: 'chat gpt-4o',
    startTime: '2026-11-30T14:05:00.250Z',
    model: 'gpt-4o',
    usageDetails: {
      input: 200,
      input_cache_read: 800,
      output: 50,
      output_reasoning: 30,
      total: 1080,
    },
    costDetails: { input: 0.0007, output: 0.0008, total: 0.0015 },
    metadata: JSON.stringify({
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.operation.name': 'chat',
      },
    }),
    ...extra,
  };
}

describe('Langfuse observations', () => {
  describe('trace export', () => {
    const body = {
      trace: TRACE,
      observations: [
        {
          id: 'span-1',
          traceId: TRACE.id,
          type: 'SPAN',
          startTime: '2026-11-30T14:05:00Z',
        },
        generation('gen-1'),
        generation('gen-empty', { usageDetails: {}, costDetails: {} }),
        {
          id: 'emb-1',
          traceId: TRACE.id,
          type: 'EMBEDDING',
          startTime: '2026-11-30T14:04:59Z',
          model: 'text-embedding-3-small',
          usageDetails: { input: 12 },
          costDetails: { total: 2.4e-7 },
        },
        generation('gen-claude', {
          model: 'claude-sonnet-4-5-20250929',
          metadata: { ls_provider: 'anthropic' },
          usageDetails: {
            input: 2,
            input_cached_tokens: 47105,
            input_cache_creation_5m: 76,
            input_cache_creation_1h: 1000,
            output: 714,
          },
          costDetails: {},
        }),
      ],
    };
    const batch = readJson(body, LANGFUSE);

    it('reads generation', () => {
      expect(batch.records[0]).toEqual({
        timestamp: Date.UTC(2026, 10, 30, 14, 5, 0, 250),
        attributes: {
          'langfuse.trace.name': 'answer-ticket',
          'langfuse.user_id': 'user-7',
          'langfuse.session_id': 'session-3',
          'langfuse.environment': 'production',
          'langfuse.observation.name': 'chat gpt-4o',
          'langfuse.tag.team': 'search',
          'langfuse.tag.beta': 'true',
          'service.name': 'support-assistant',
        },
        provider: 'openai',
        model: 'gpt-4o',
        inputTokens: 1000,
        cachedInputTokens: 800,
        outputTokens: 80,
        reasoningTokens: 30,
        providerCost: '0.0015',
        providerCostCurrency: 'USD',
        requestId: 'langfuse:gen-1',
        taskId: 'trace-synthetic-1',
        operation: 'chat',
      });
    });

    it('reads embedding', () => {
      expect(batch.records[1]).toMatchObject({
        provider: 'openai',
        model: 'text-embedding-3-small',
        inputTokens: 12,
        outputTokens: 0,
        providerCost: '0.00000024',
        operation: 'embeddings',
      });
    });

    it('adds cache types to input', () => {
      expect(batch.records[2]).toMatchObject({
        provider: 'anthropic',
        inputTokens: 2 + 47105 + 76 + 1000,
        cachedInputTokens: 47105,
        cacheWriteTokens: 76,
        cacheWrite1hTokens: 1000,
        outputTokens: 714,
      });
    });

    it('leaves cost out without cost details', () => {
      expect(batch.records[2].providerCost).toBeUndefined();
    });

    it('counts skipped observations', () => {
      expect(batch.skipped).toEqual([
        { reason: 'observation type SPAN', records: 1 },
        { reason: 'generation without usage', records: 1 },
      ]);
    });

    it('numbers records by observation index', () => {
      expect(batch.positions).toEqual([1, 3, 4]);
    });

    it('reports no errors', () => {
      expect(batch.errors).toEqual([]);
    });
  });

  describe('public API page', () => {
    const batch = readJson(
      {
        data: [
          generation('api-1', {
            usageDetails: {},
            usage: { input: 40, output: 9, total: 49, unit: 'TOKENS' },
            costDetails: { input: 0.0001, output: 0.00009 },
          }),
          generation('api-2', {
            usageDetails: undefined,
            promptTokens: 7,
            completionTokens: 3,
            costDetails: undefined,
            calculatedTotalCost: 0.00002,
          }),
          generation('api-3', {
            model: null,
            usageDetails: undefined,
            costDetails: undefined,
            metadata: {
              attributes: {
                'gen_ai.provider.name': 'gcp.gemini',
                'gen_ai.request.model': 'gemini-2.5-flash',
                'gen_ai.usage.input_tokens': '39',
                'gen_ai.usage.output_tokens': '6',
              },
            },
          }),
        ],
        meta: { page: 1, limit: 50, totalItems: 3, totalPages: 1 },
      },
      LANGFUSE,
    );

    it('falls back to usage object', () => {
      expect(batch.records[0]).toMatchObject({
        inputTokens: 40,
        outputTokens: 9,
        providerCost: '0.00019',
      });
    });

    it('falls back to prompt tokens', () => {
      expect(batch.records[1]).toMatchObject({
        inputTokens: 7,
        outputTokens: 3,
        providerCost: '0.00002',
      });
    });

    it('falls back to span attributes', () => {
      expect(batch.records[2]).toMatchObject({
        provider: 'gemini',
        model: 'gemini-2.5-flash',
        inputTokens: 39,
        outputTokens: 6,
      });
    });

    it('keeps cost without usage unpriced', () => {
      const costOnly = readJson(
        [
          generation('cost-only', {
            usageDetails: {},
            costDetails: { total: 0.001 },
          }),
        ],
        LANGFUSE,
      );

      expect(costOnly.records[0]).toMatchObject({
        inputTokens: 0,
        outputTokens: 0,
        usageReported: false,
        providerCost: '0.001',
      });
    });

    it('has no trace attributes', () => {
      expect(batch.records[0].attributes).toEqual({
        'langfuse.observation.name': 'chat gpt-4o',
      });
    });

    it('reports no errors', () => {
      expect(batch.errors).toEqual([]);
    });
  });

  describe('bad observations', () => {
    const batch = readJson(
      [
        generation('bad-1', { usageDetails: { input: -3, output: 1 } }),
        generation('bad-2', { usageDetails: { input: 1, audio_seconds: 4 } }),
        generation('bad-3', { model: undefined, metadata: undefined }),
        generation('bad-4', { costDetails: { total: 'n/a' } }),
        generation('bad-5', { model: 'house-model-7', metadata: '{}' }),
        generation('bad-6', { startTime: 'yesterday' }),
        generation('bad-7', { id: undefined }),
        'not an object',
        generation('good-9'),
      ],
      LANGFUSE,
    );

    it('keeps good observation', () => {
      expect(batch.records.map(record => record.requestId)).toEqual([
        'langfuse:good-9',
      ]);
    });

    it('rejects negative usage', () => {
      expect(batch.errors[0]).toEqual({
        record: 0,
        field: 'usageDetails.input',
        message:
          'usageDetails.input -3 is not a token count; use a whole number from 0 to 100000000',
      });
    });

    it('rejects unknown usage type', () => {
      expect(batch.errors[1]).toEqual({
        record: 1,
        field: 'usageDetails.audio_seconds',
        message:
          'usageDetails.audio_seconds is neither an input nor an output usage type; its name must contain input, output, prompt or completion',
      });
    });

    it('rejects missing model', () => {
      expect(batch.errors[2]).toEqual({
        record: 2,
        field: 'model',
        message: 'missing model',
      });
    });

    it('rejects cost that is text', () => {
      expect(batch.errors[3]).toEqual({
        record: 3,
        field: 'costDetails.total',
        message:
          'costDetails.total "n/a" is not a cost; use a non-negative decimal amount such as 0.0125',
      });
    });

    it('rejects unknown provider', () => {
      expect(batch.errors[4]).toEqual({
        record: 4,
        field: 'metadata',
        message:
          'provider of model "house-model-7" is unknown; set the gen_ai.provider.name span attribute',
      });
    });

    it('rejects invalid start time', () => {
      expect(batch.errors[5].record).toBe(5);
      expect(batch.errors[5].field).toBe('startTime');
    });

    it('rejects missing id', () => {
      expect(batch.errors[6]).toEqual({
        record: 6,
        field: 'id',
        message: 'missing id',
      });
    });

    it('rejects element that is no object', () => {
      expect(batch.errors[7]).toEqual({
        record: 7,
        message: 'record is not an object',
      });
    });

    it('reports exactly these errors', () => {
      expect(batch.errors.length).toBe(8);
    });
  });

  describe('JSON Lines', () => {
    const text = [
      JSON.stringify(generation('line-1')),
      JSON.stringify({
        trace: TRACE,
        observations: [
          generation('line-2a'),
          generation('line-2b', { usageDetails: { output: 1.5 } }),
        ],
      }),
    ].join('\n');
    const batch = readJsonLines(text, { ...LANGFUSE, lineOffset: 20 });

    it('reads observation and trace lines', () => {
      expect(batch.records.map(record => record.requestId)).toEqual([
        'langfuse:line-1',
        'langfuse:line-2a',
      ]);
    });

    it('numbers trace observations by line', () => {
      expect(batch.positions).toEqual([21, 22]);
    });

    it('names observation of trace line', () => {
      expect(batch.errors).toEqual([
        {
          record: 22,
          field: 'observations[1].usageDetails.output',
          message:
            'usageDetails.output 1.5 is not a token count; use a whole number from 0 to 100000000',
        },
      ]);
    });

    it('gives trace attributes to trace line', () => {
      expect(batch.records[1].attributes['langfuse.trace.name']).toBe(
        'answer-ticket',
      );
    });
  });

  describe('CSV export', () => {
    const usage = JSON.stringify({ input: 100, output: 20, total: 120 });
    const cost = JSON.stringify({ total: 0.00045 });
    const quote = (json: string) => `"${json.replace(/"/g, '""')}"`;
    const text = [
      'id,traceId,type,name,startTime,endTime,model,usageDetails,costDetails,level',
      `csv-1,trace-9,GENERATION,chat,2026-11-30T10:00:00.000Z,,gpt-4o-mini,${quote(
        usage,
      )},${quote(cost)},DEFAULT`,
      `csv-2,trace-9,SPAN,tool,2026-11-30T10:00:01.000Z,,,,,DEFAULT`,
      `csv-3,trace-9,GENERATION,chat,2026-11-30T10:00:02.000Z,,gpt-4o-mini,{broken,,DEFAULT`,
    ].join('\n');
    const batch = readCsv(text, LANGFUSE);

    it('reads generation line', () => {
      expect(batch.records).toEqual([
        {
          timestamp: Date.UTC(2026, 10, 30, 10),
          attributes: { 'langfuse.observation.name': 'chat' },
          provider: 'openai',
          model: 'gpt-4o-mini',
          inputTokens: 100,
          cachedInputTokens: 0,
          outputTokens: 20,
          providerCost: '0.00045',
          providerCostCurrency: 'USD',
          requestId: 'langfuse:csv-1',
          taskId: 'trace-9',
        },
      ]);
    });

    it('rejects usage that is no JSON', () => {
      expect(batch.errors).toEqual([
        {
          record: 4,
          field: 'usageDetails',
          message: 'usageDetails "{broken" is not a JSON object',
        },
      ]);
    });

    it('counts span line as skipped', () => {
      expect(batch.skipped).toEqual([
        { reason: 'observation type SPAN', records: 1 },
      ]);
    });
  });
});
