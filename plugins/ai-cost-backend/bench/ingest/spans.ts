import { randomBytes } from 'node:crypto';
import { HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { PriceInput } from '../../src/pricing/priceSheet';
import { OtlpEncoding } from '../../src/otlp/exportResponse';

/**
 * Models of the generated spans with their list prices per million
 * tokens, as in the repository's app-config.yaml (LiteLLM price sheet,
 * snapshot of 2026-07-24).
 */
export const BENCH_PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-08-06',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10.00',
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    effectiveFrom: '2024-07-18',
    currency: 'USD',
    input: '0.15',
    cachedInput: '0.075',
    output: '0.60',
  },
  {
    provider: 'openai',
    model: 'gpt-4.1',
    effectiveFrom: '2025-04-14',
    currency: 'USD',
    input: '2.00',
    cachedInput: '0.50',
    output: '8.00',
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    effectiveFrom: '2025-09-29',
    currency: 'USD',
    input: '3.00',
    cachedInput: '0.30',
    output: '15.00',
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    effectiveFrom: '2025-10-15',
    currency: 'USD',
    input: '1.00',
    cachedInput: '0.10',
    output: '5.00',
  },
];

/**
 * Services of the generated spans. They are the `service.name` selectors
 * of examples/ai-components.yaml, so the real backend allocates them too.
 */
export const BENCH_SERVICES = [
  'support-assistant',
  'kb-rag-search',
  'contract-summariser',
  'code-review-bot',
  'sales-email-writer',
  'hr-policy-bot',
  'code-completion',
  'conversation-assistant',
];

const SCOPE = {
  name: '@ai-cost/bench-genai-instrumentation',
  version: '1.0.0',
};

const COMPLEXITIES = ['simple', 'moderate', 'complex'];

/** One encoded OTLP/HTTP export request. */
export interface EncodedRequest {
  body: Buffer;
  spans: number;
}

/**
 * Generates GenAI chat spans, every one with its own trace id, and
 * encodes them with the OpenTelemetry SDK's OTLP serializers
 * (@opentelemetry/otlp-transformer), as an SDK exporter sends them.
 */
export class SpanGenerator {
  /** Random prefix of every trace id, so that separate runs never collide. */
  private readonly runId = randomBytes(6).toString('hex');
  private readonly resources: Resource[];
  private sequence = 0;
  private state: number;

  constructor(seed = 42) {
    this.state = seed;
    this.resources = BENCH_SERVICES.map(service =>
      resourceFromAttributes({
        'service.name': service,
        'service.version': '2.14.0',
        'deployment.environment.name': 'production',
        'telemetry.sdk.language': 'nodejs',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.version': '2.2.0',
      }),
    );
  }

  /** Creates `count` spans that end within the hour before `now`. */
  createSpans(count: number, now = Date.now()): ReadableSpan[] {
    const spans: ReadableSpan[] = [];
    for (let i = 0; i < count; i++) {
      spans.push(this.createSpan(now));
    }
    return spans;
  }

  /** Creates and encodes one export request of `spans` spans. */
  encode(encoding: OtlpEncoding, spans: number): EncodedRequest {
    const created = this.createSpans(spans);
    const serializer =
      encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer;
    const bytes = serializer.serializeRequest(created);
    if (!bytes) {
      throw new Error(`The OTLP ${encoding} serializer returned no body`);
    }
    return {
      body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      spans,
    };
  }

  /** Creates and encodes `requests` export requests. */
  encodeMany(
    encoding: OtlpEncoding,
    requests: number,
    spansPerRequest: number,
  ): EncodedRequest[] {
    return Array.from({ length: requests }, () =>
      this.encode(encoding, spansPerRequest),
    );
  }

  private random(): number {
    this.state = (this.state * 1103515245 + 12345) % 2147483648;
    return this.state / 2147483648;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private createSpan(now: number): ReadableSpan {
    this.sequence += 1;
    const sequence = this.sequence.toString(16).padStart(20, '0');
    const traceId = `${this.runId}${sequence}`;
    const spanId = `${sequence.slice(4)}`;

    const price = this.pick(BENCH_PRICES);
    const inputTokens = 200 + Math.floor(this.random() * 12_000);
    const cachedTokens =
      this.random() < 0.4 ? Math.floor(inputTokens * this.random() * 0.8) : 0;
    const outputTokens = 20 + Math.floor(this.random() * 1_500);
    const durationMillis = 300 + Math.floor(this.random() * 9_000);
    const end = now - Math.floor(this.random() * 3_600_000);
    const start = end - durationMillis;

    return {
      name: `chat ${price.model}`,
      kind: SpanKind.CLIENT,
      spanContext: () => ({ traceId, spanId, traceFlags: 1 }),
      startTime: toHrTime(start),
      endTime: toHrTime(end),
      duration: toHrTime(durationMillis),
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': price.provider,
        'gen_ai.request.model': price.model,
        'gen_ai.response.model': price.model,
        'gen_ai.response.id': `resp-${traceId}`,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.request.max_tokens': 2048,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': inputTokens,
        'gen_ai.usage.output_tokens': outputTokens,
        'gen_ai.usage.cache_read.input_tokens': cachedTokens,
        'server.address':
          price.provider === 'openai' ? 'api.openai.com' : 'api.anthropic.com',
        'ai_cost.task.id': `task-${Math.floor(this.random() * 50_000)}`,
        'ai_cost.task.outcome': this.random() < 0.9 ? 'success' : 'failure',
        'ai_cost.query.complexity': this.pick(COMPLEXITIES),
      },
      links: [],
      events: [],
      ended: true,
      resource: this.pick(this.resources),
      instrumentationScope: SCOPE,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
}

function toHrTime(millis: number): HrTime {
  return [Math.floor(millis / 1000), (millis % 1000) * 1_000_000];
}
