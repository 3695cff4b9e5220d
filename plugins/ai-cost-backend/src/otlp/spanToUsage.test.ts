import { MAX_TOKENS_PER_REQUEST } from '../ingest/normalizedRecord';
import { spanToUsage, spansToBatch } from './spanToUsage';
import {
  AttributeMap,
  AttributeValue,
  OtlpSpan,
  createAttributeMap,
} from './types';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const END = Date.parse('2026-11-18T10:00:01.500Z');

function attributeMap(values: Record<string, AttributeValue>): AttributeMap {
  return Object.assign(createAttributeMap(), values);
}

function span(
  attributes: Record<string, AttributeValue>,
  resource: Record<string, AttributeValue> = {
    'service.name': 'support-assistant',
  },
  overrides: Partial<OtlpSpan> = {},
): OtlpSpan {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: BigInt(END - 1500) * 1_000_000n,
    // 1.5 s plus 999,999 ns, which the millisecond timestamp drops.
    endTimeUnixNano: BigInt(END) * 1_000_000n + 999_999n,
    attributes: attributeMap(attributes),
    status: { code: 0, message: '' },
    resource: { attributes: attributeMap(resource) },
    scope: { name: 'test', version: '1' },
    position: [0, 1, 2],
    ...overrides,
  };
}

const CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 1200,
  'gen_ai.usage.output_tokens': 300,
};

function record(
  attributes: Record<string, AttributeValue>,
  resource?: Record<string, AttributeValue>,
) {
  const mapping = spanToUsage(span(attributes, resource));
  if (mapping.type !== 'record') {
    throw new Error(`expected a record, got ${JSON.stringify(mapping)}`);
  }
  return mapping.record;
}

function rejection(
  attributes: Record<string, AttributeValue>,
  overrides?: Partial<OtlpSpan>,
) {
  const mapping = spanToUsage(span(attributes, undefined, overrides));
  if (mapping.type !== 'rejected') {
    throw new Error(`expected a rejection, got ${JSON.stringify(mapping)}`);
  }
  return mapping;
}

const NAMED = `Span resourceSpans[0].scopeSpans[1].spans[2] (trace ${TRACE_ID}, span ${SPAN_ID})`;

describe('spanToUsage', () => {
  describe('chat span', () => {
    const mapped = record(CHAT);

    it('reads provider and model', () => {
      expect(mapped.provider).toBe('openai');
      expect(mapped.model).toBe('gpt-4o');
      expect(mapped.operation).toBe('chat');
    });

    it('reads token counts', () => {
      expect(mapped.inputTokens).toBe(1200);
      expect(mapped.cachedInputTokens).toBe(0);
      expect(mapped.outputTokens).toBe(300);
    });

    it('uses span end time', () => {
      expect(mapped.timestamp).toBe(END);
    });

    it('derives request id', () => {
      expect(mapped.requestId).toBe(`otlp:${TRACE_ID}:${SPAN_ID}`);
    });

    it('copies selector attributes', () => {
      expect({ ...mapped.attributes }).toEqual({
        'service.name': 'support-assistant',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': '1200',
        'gen_ai.usage.output_tokens': '300',
      });
    });

    it('sets no product flags', () => {
      expect(mapped.serviceTier).toBeUndefined();
      expect(mapped.taskId).toBeUndefined();
      expect(mapped.taskOutcome).toBeUndefined();
      expect(mapped.semanticCacheHit).toBeUndefined();
      expect(mapped.queryComplexity).toBeUndefined();
      expect(mapped.retry).toBeUndefined();
    });
  });

  describe('GenAI attribute names', () => {
    it('prices response model', () => {
      const mapped = record({
        ...CHAT,
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
      });

      expect(mapped.model).toBe('gpt-4o-2024-08-06');
    });

    it('reads older names', () => {
      const mapped = record({
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'gen_ai.usage.prompt_tokens': '42',
        'gen_ai.usage.completion_tokens': '7',
      });

      expect(mapped.provider).toBe('anthropic');
      expect(mapped.inputTokens).toBe(42);
      expect(mapped.outputTokens).toBe(7);
    });

    it('prefers provider name over system', () => {
      const mapped = record({
        ...CHAT,
        'gen_ai.provider.name': 'azure.ai.openai',
        'gen_ai.system': 'openai',
      });

      expect(mapped.provider).toBe('azure.ai.openai');
    });

    it('takes provider from model prefix', () => {
      const mapped = record({
        'gen_ai.request.model': 'bedrock/claude-haiku-4-5',
        'gen_ai.usage.input_tokens': 1,
        'gen_ai.usage.output_tokens': 1,
      });

      expect(mapped.provider).toBe('bedrock');
    });

    it.each([
      ['gen_ai.usage.cache_read.input_tokens', 'cachedInputTokens', 800],
      ['gen_ai.usage.cache_read_input_tokens', 'cachedInputTokens', 700],
      ['gen_ai.usage.cache_creation.input_tokens', 'cacheWriteTokens', 100],
      ['gen_ai.usage.cache_creation_input_tokens', 'cacheWriteTokens', 90],
      ['gen_ai.usage.reasoning.output_tokens', 'reasoningTokens', 250],
      ['gen_ai.usage.reasoning_tokens', 'reasoningTokens', 200],
    ] as const)('reads %s', (name, field, count) => {
      const mapped = record({ ...CHAT, [name]: count });

      expect(mapped[field]).toBe(count);
    });

    it('prefers semantic convention name', () => {
      const mapped = record({
        ...CHAT,
        'gen_ai.usage.cache_read.input_tokens': 800,
        'gen_ai.usage.cache_read_input_tokens': 5,
      });

      expect(mapped.cachedInputTokens).toBe(800);
    });

    it('counts embeddings without output', () => {
      const mapped = record({
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 512,
      });

      expect(mapped.inputTokens).toBe(512);
      expect(mapped.outputTokens).toBe(0);
    });

    it('reads whole double counts', () => {
      expect(
        record({ ...CHAT, 'gen_ai.usage.input_tokens': 12.0 }).inputTokens,
      ).toBe(12);
    });
  });

  describe('ignored spans', () => {
    it('ignores span without usage', () => {
      const mapping = spanToUsage(
        span({
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.total_tokens': 9,
        }),
      );

      expect(mapping).toEqual({ type: 'ignored', reason: 'no usage' });
    });

    it.each(['invoke_agent', 'create_agent', 'execute_tool'])(
      'ignores %s with usage',
      operation => {
        const mapping = spanToUsage(
          span({ ...CHAT, 'gen_ai.operation.name': operation }),
        );

        expect(mapping).toEqual({
          type: 'ignored',
          reason: 'agent or tool operation',
        });
      },
    );

    it('ignores agent span with bad counts', () => {
      const mapping = spanToUsage(
        span({
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.usage.input_tokens': -1,
        }),
      );

      expect(mapping.type).toBe('ignored');
    });

    it('records semantic cache hit', () => {
      const mapped = record({
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'ai_cost.cache.semantic_hit': true,
      });

      expect(mapped.semanticCacheHit).toBe(true);
      expect(mapped.inputTokens).toBe(0);
      expect(mapped.outputTokens).toBe(0);
    });
  });

  describe('product attributes', () => {
    it('reads task id and outcome', () => {
      const mapped = record({
        ...CHAT,
        'ai_cost.task.id': 'ticket-4711',
        'ai_cost.task.outcome': 'failure',
      });

      expect(mapped.taskId).toBe('ticket-4711');
      expect(mapped.taskOutcome).toBe('failure');
    });

    it('reads numeric task id', () => {
      expect(record({ ...CHAT, 'ai_cost.task.id': 4711 }).taskId).toBe('4711');
    });

    it('maps batch to service tier', () => {
      const mapped = record({ ...CHAT, 'ai_cost.batch': true });

      expect(mapped.serviceTier).toBe('batch');
    });

    it('leaves standard for batch false', () => {
      expect(
        record({ ...CHAT, 'ai_cost.batch': false }).serviceTier,
      ).toBeUndefined();
    });

    it.each([
      ['flex', 'flex'],
      ['priority', 'priority'],
      ['default', undefined],
      ['scale', undefined],
    ])('reads OpenAI service tier %s', (tier, expected) => {
      const mapped = record({ ...CHAT, 'openai.response.service_tier': tier });

      expect(mapped.serviceTier).toBe(expected);
    });

    it('lets batch win over tier', () => {
      const mapped = record({
        ...CHAT,
        'ai_cost.batch': true,
        'openai.response.service_tier': 'flex',
      });

      expect(mapped.serviceTier).toBe('batch');
    });

    it('reads complexity, retry, cache hit', () => {
      const mapped = record({
        ...CHAT,
        'ai_cost.query.complexity': 'moderate',
        'ai_cost.retry': true,
        'ai_cost.cache.semantic_hit': false,
      });

      expect(mapped.queryComplexity).toBe('moderate');
      expect(mapped.retry).toBe(true);
      expect(mapped.semanticCacheHit).toBe(false);
    });

    it('falls back to resource attributes', () => {
      const mapped = record(CHAT, {
        'service.name': 'batch-worker',
        'ai_cost.batch': 'true',
        'ai_cost.task.id': 'nightly-run',
      });

      expect(mapped.serviceTier).toBe('batch');
      expect(mapped.taskId).toBe('nightly-run');
    });
  });

  describe('selector attributes', () => {
    it('lets span override resource', () => {
      const mapped = record(
        { ...CHAT, 'deployment.environment': 'canary' },
        {
          'service.name': 'support-assistant',
          'deployment.environment': 'prod',
        },
      );

      expect(mapped.attributes['deployment.environment']).toBe('canary');
      expect(mapped.attributes['service.name']).toBe('support-assistant');
    });

    it('leaves out structured and long values', () => {
      const mapped = record({
        ...CHAT,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.input.messages': 'x'.repeat(256),
        'team.id': 'x'.repeat(255),
        flag: true,
      });

      expect(
        mapped.attributes['gen_ai.response.finish_reasons'],
      ).toBeUndefined();
      expect(mapped.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(mapped.attributes['team.id']).toHaveLength(255);
      expect(mapped.attributes.flag).toBe('true');
    });
  });

  describe('rejected spans', () => {
    it.each([
      [-5, '-5'],
      [12.5, '12.5'],
      [MAX_TOKENS_PER_REQUEST + 1, String(MAX_TOKENS_PER_REQUEST + 1)],
      ['1e3', '"1e3"'],
      [2n ** 63n - 1n, String(2n ** 63n - 1n)],
      [true, 'true'],
    ])('rejects input tokens %p', (value, shown) => {
      const mapping = rejection({
        ...CHAT,
        'gen_ai.usage.input_tokens': value,
      });

      expect(mapping.field).toBe('gen_ai.usage.input_tokens');
      expect(mapping.message).toBe(
        `${NAMED}: gen_ai.usage.input_tokens ${shown} is not a token count; use a whole number from 0 to ${MAX_TOKENS_PER_REQUEST}`,
      );
    });

    it('rejects bad alias count', () => {
      const mapping = rejection({
        ...CHAT,
        'gen_ai.usage.reasoning_tokens': -1,
      });

      expect(mapping.field).toBe('gen_ai.usage.reasoning_tokens');
    });

    it('rejects missing model', () => {
      const mapping = rejection({
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 31,
        'gen_ai.usage.output_tokens': 96,
      });

      expect(mapping.field).toBe('gen_ai.request.model');
      expect(mapping.message).toBe(
        `${NAMED}: missing gen_ai.request.model and gen_ai.response.model; set the model name on the span`,
      );
    });

    it('rejects missing provider', () => {
      const mapping = rejection({
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1,
      });

      expect(mapping.message).toBe(
        `${NAMED}: missing gen_ai.provider.name (or the older gen_ai.system); set the provider, such as openai`,
      );
    });

    it('rejects unknown outcome', () => {
      const mapping = rejection({ ...CHAT, 'ai_cost.task.outcome': 'partial' });

      expect(mapping.field).toBe('ai_cost.task.outcome');
      expect(mapping.message).toBe(
        `${NAMED}: ai_cost.task.outcome "partial" is not valid; use success or failure`,
      );
    });

    it('rejects unknown complexity', () => {
      const mapping = rejection({
        ...CHAT,
        'ai_cost.query.complexity': 'hard',
      });

      expect(mapping.message).toBe(
        `${NAMED}: ai_cost.query.complexity "hard" is not valid; use simple or moderate or complex`,
      );
    });

    it('rejects non-boolean batch', () => {
      const mapping = rejection({ ...CHAT, 'ai_cost.batch': 1 });

      expect(mapping.message).toBe(
        `${NAMED}: ai_cost.batch 1 is not a boolean; use true or false`,
      );
    });

    it('rejects parts above total', () => {
      const mapping = rejection({
        ...CHAT,
        'gen_ai.usage.cache_read.input_tokens': 1500,
      });

      expect(mapping.message).toBe(
        `${NAMED}: Invalid usage: cached, cache-write, audio and image input tokens add up to 1500, more than gen_ai.usage.input_tokens 1200`,
      );
    });

    it('rejects output without input', () => {
      const { 'gen_ai.usage.input_tokens': _input, ...outputOnly } = CHAT;

      expect(rejection(outputOnly).message).toBe(
        `${NAMED}: Invalid GenAI span attributes: gen_ai.usage.input_tokens and gen_ai.usage.prompt_tokens are missing`,
      );
    });

    it('rejects short trace id', () => {
      const mapping = rejection(CHAT, { traceId: 'abc' });

      expect(mapping.field).toBe('traceId');
      expect(mapping.message).toBe(
        `Span resourceSpans[0].scopeSpans[1].spans[2] (trace abc, span ${SPAN_ID}): traceId "abc" is not a valid trace id; expected 16 bytes (32 hex digits), not all zero`,
      );
    });

    it('rejects all-zero span id', () => {
      expect(rejection(CHAT, { spanId: '0'.repeat(16) }).field).toBe('spanId');
    });

    it('rejects missing times', () => {
      const mapping = rejection(CHAT, {
        startTimeUnixNano: 0n,
        endTimeUnixNano: 0n,
      });

      expect(mapping.field).toBe('endTimeUnixNano');
    });
  });
});

describe('spansToBatch', () => {
  const batch = spansToBatch([
    span(CHAT),
    span({ ...CHAT, 'gen_ai.usage.input_tokens': -1 }, undefined, {
      position: [0, 0, 1],
    }),
    span({ 'gen_ai.request.model': 'gpt-4o' }),
    span({ ...CHAT, 'gen_ai.operation.name': 'execute_tool' }),
    span(CHAT, undefined, { spanId: '00f067aa0ba902b7' }),
  ]);

  it('keeps good spans', () => {
    expect(batch.records.map(item => item.requestId)).toEqual([
      `otlp:${TRACE_ID}:${SPAN_ID}`,
      `otlp:${TRACE_ID}:00f067aa0ba902b7`,
    ]);
  });

  it('indexes rejections by span', () => {
    expect(batch.errors).toEqual([
      {
        record: 1,
        field: 'gen_ai.usage.input_tokens',
        message: `Span resourceSpans[0].scopeSpans[0].spans[1] (trace ${TRACE_ID}, span ${SPAN_ID}): gen_ai.usage.input_tokens -1 is not a token count; use a whole number from 0 to ${MAX_TOKENS_PER_REQUEST}`,
      },
    ]);
  });

  it('counts ignored spans', () => {
    expect(batch.ignored).toEqual({
      'no usage': 1,
      'agent or tool operation': 1,
    });
  });
});
