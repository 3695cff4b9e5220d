// Builders of OTLP/JSON ExportTraceServiceRequest objects, written by
// hand so that tests can also break any field of them.

/** One GenAI chat span with token usage. */
export interface ChatSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** End time in epoch milliseconds. */
  endMillis: number;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** An OTLP/JSON KeyValue. */
export type JsonKeyValue = { key: string; value: Record<string, unknown> };

export function stringAttribute(key: string, value: string): JsonKeyValue {
  return { key, value: { stringValue: value } };
}

/** Builds an int64 attribute, written as a decimal string as proto3 JSON does. */
export function intAttribute(key: string, value: number): JsonKeyValue {
  return { key, value: { intValue: String(value) } };
}

/** Attributes of a chat span of the OpenAI provider. */
export function chatAttributes(span: ChatSpan): JsonKeyValue[] {
  return [
    stringAttribute('gen_ai.operation.name', 'chat'),
    stringAttribute('gen_ai.provider.name', 'openai'),
    stringAttribute('gen_ai.request.model', span.model),
    intAttribute('gen_ai.usage.input_tokens', span.inputTokens),
    intAttribute(
      'gen_ai.usage.cache_read.input_tokens',
      span.cachedInputTokens,
    ),
    intAttribute('gen_ai.usage.output_tokens', span.outputTokens),
  ];
}

/** Builds the OTLP/JSON Span object of a chat span that lasted one second. */
export function chatSpanJson(
  span: ChatSpan,
  attributes: JsonKeyValue[] = chatAttributes(span),
): Record<string, unknown> {
  const endNanos = BigInt(span.endMillis) * 1_000_000n;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name: `chat ${span.model}`,
    kind: 3,
    startTimeUnixNano: String(endNanos - 1_000_000_000n),
    endTimeUnixNano: String(endNanos),
    attributes,
    status: {},
  };
}

/**
 * Builds an ExportTraceServiceRequest with one resource of the given
 * service name and one instrumentation scope around the span objects.
 */
export function traceRequestJson(
  spans: Array<Record<string, unknown>>,
  serviceName = 'support-assistant',
): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [stringAttribute('service.name', serviceName)],
        },
        scopeSpans: [
          {
            scope: { name: 'ai-cost-test', version: '1.0.0' },
            spans,
          },
        ],
      },
    ],
  };
}
