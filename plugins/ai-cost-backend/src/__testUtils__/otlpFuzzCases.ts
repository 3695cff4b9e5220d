import { JsonKeyValue, intAttribute, stringAttribute } from './otlpJson';

// Cases of the fuzz generator in ingestFuzz.ts: values that reject one
// span, one OTLP/JSON request or nothing, each with its name.

/**
 * Timestamps at the ends of what the normalised format and the ingestor
 * accept: from 2000-01-01 to one day after now, in any zone notation.
 */
export const EXTREME_TIMESTAMPS = [
  '2000-01-01T00:00:00Z',
  '2000-01-01',
  '2026-11-02 10:00:00+14:00',
  '2026-11-02T10:00:00.123456789-12:00',
];

/**
 * Span end times in nanoseconds at the ends of the uint64 range, which
 * the ingestor rejects as implausible request times.
 */
export const EXTREME_END_NANOS = ['18446744073709551615', '1', '999999'];

/** Span attributes that reject the span, not the request, with the reason. */
export const INVALID_SPAN_ATTRIBUTES: ReadonlyArray<
  [name: string, change: (attributes: JsonKeyValue[]) => JsonKeyValue[]]
> = [
  [
    'negative tokens',
    a => setAttribute(a, intAttribute('gen_ai.usage.output_tokens', -3)),
  ],
  [
    'absurd tokens',
    a =>
      setAttribute(a, intAttribute('gen_ai.usage.input_tokens', 100_000_001)),
  ],
  [
    'int64 max tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.input_tokens',
        value: { intValue: '9223372036854775807' },
      }),
  ],
  [
    'fractional tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.input_tokens',
        value: { doubleValue: 12.5 },
      }),
  ],
  [
    'infinite tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.output_tokens',
        value: { doubleValue: 'Infinity' },
      }),
  ],
  [
    'NaN tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.output_tokens',
        value: { doubleValue: 'NaN' },
      }),
  ],
  [
    'text tokens',
    a => setAttribute(a, stringAttribute('gen_ai.usage.input_tokens', '12abc')),
  ],
  [
    'boolean tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.input_tokens',
        value: { boolValue: true },
      }),
  ],
  [
    'array tokens',
    a =>
      setAttribute(a, {
        key: 'gen_ai.usage.input_tokens',
        value: { arrayValue: { values: [{ intValue: '1' }] } },
      }),
  ],
  ['missing model', a => a.filter(kv => kv.key !== 'gen_ai.request.model')],
  [
    'blank model',
    a => setAttribute(a, stringAttribute('gen_ai.request.model', '   ')),
  ],
  [
    'huge model',
    a =>
      setAttribute(a, stringAttribute('gen_ai.request.model', 'm'.repeat(300))),
  ],
  [
    'model as number',
    a => setAttribute(a, intAttribute('gen_ai.request.model', 4)),
  ],
  ['missing provider', a => a.filter(kv => kv.key !== 'gen_ai.provider.name')],
  [
    'bad batch flag',
    a => setAttribute(a, stringAttribute('ai_cost.batch', 'yes')),
  ],
  [
    'bad outcome',
    a => setAttribute(a, stringAttribute('ai_cost.task.outcome', 'maybe')),
  ],
  [
    'bad complexity',
    a => setAttribute(a, stringAttribute('ai_cost.query.complexity', 'hard')),
  ],
  [
    'huge task id',
    a => setAttribute(a, stringAttribute('ai_cost.task.id', 't'.repeat(256))),
  ],
];

/** Span-level id and time breakage, applied to the span object. */
export const INVALID_SPAN_FIELDS: ReadonlyArray<
  [name: string, change: (span: Record<string, unknown>) => void]
> = [
  ['short trace id', span => (span.traceId = 'abc123')],
  ['non-hex trace id', span => (span.traceId = 'z'.repeat(32))],
  ['zero trace id', span => (span.traceId = '0'.repeat(32))],
  ['long span id', span => (span.spanId = 'a'.repeat(20))],
  ['zero span id', span => (span.spanId = '0'.repeat(16))],
  ['missing span id', span => delete span.spanId],
  [
    'missing times',
    span => {
      delete span.startTimeUnixNano;
      delete span.endTimeUnixNano;
    },
  ],
];

/**
 * Changes that make the whole OTLP/JSON request invalid, at each level of
 * the message, with the name of the change.
 */
export const INVALID_REQUEST_FIELDS: ReadonlyArray<
  [name: string, change: (request: any) => void]
> = [
  ['resourceSpans object', r => (r.resourceSpans = {})],
  ['resourceSpans string', r => (r.resourceSpans = 'spans')],
  ['resource array', r => (r.resourceSpans[0].resource = [])],
  [
    'resource attributes object',
    r => (r.resourceSpans[0].resource.attributes = { a: 1 }),
  ],
  ['scopeSpans number', r => (r.resourceSpans[0].scopeSpans = 7)],
  ['scope string', r => (r.resourceSpans[0].scopeSpans[0].scope = 'scope')],
  ['scope name number', r => (r.resourceSpans[0].scopeSpans[0].scope.name = 5)],
  ['spans object', r => (r.resourceSpans[0].scopeSpans[0].spans = { 0: {} })],
  ['span null', r => (r.resourceSpans[0].scopeSpans[0].spans[0] = null)],
  ['span array', r => (r.resourceSpans[0].scopeSpans[0].spans[0] = [])],
  [
    'trace id number',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].traceId = 12),
  ],
  ['name object', r => (r.resourceSpans[0].scopeSpans[0].spans[0].name = {})],
  [
    'kind text',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].kind = 'SPAN_KIND_CLIENT'),
  ],
  [
    'kind fraction',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].kind = 1.5),
  ],
  [
    'negative time',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano = '-1'),
  ],
  [
    'uint64 overflow time',
    r =>
      (r.resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano =
        '18446744073709551616'),
  ],
  [
    'time with letters',
    r =>
      (r.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano = '17e18'),
  ],
  [
    'status number',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].status = 2),
  ],
  [
    'status code text',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].status = { code: 'ERROR' }),
  ],
  [
    'attributes object',
    r => (r.resourceSpans[0].scopeSpans[0].spans[0].attributes = {}),
  ],
  [
    'attribute key number',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 1,
        value: { stringValue: 'x' },
      }),
  ],
  [
    'attribute value string',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: 'x',
      }),
  ],
  [
    'int64 overflow',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'gen_ai.usage.input_tokens',
        value: { intValue: '9223372036854775808' },
      }),
  ],
  [
    'int64 underflow',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { intValue: '-9223372036854775809' },
      }),
  ],
  [
    'int value fraction',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'gen_ai.usage.output_tokens',
        value: { intValue: 1.5 },
      }),
  ],
  [
    'int value unsafe number',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'gen_ai.usage.output_tokens',
        value: { intValue: 1e300 },
      }),
  ],
  [
    'int value hex',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { intValue: '0x10' },
      }),
  ],
  [
    'bool value text',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { boolValue: 'true' },
      }),
  ],
  [
    'double value text',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { doubleValue: 'many' },
      }),
  ],
  [
    'bytes not base64',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { bytesValue: '!!not base64!!' },
      }),
  ],
  [
    'array value array',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { arrayValue: [1] },
      }),
  ],
  [
    'kvlist values object',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: { kvlistValue: { values: {} } },
      }),
  ],
  [
    'nesting too deep',
    r =>
      r.resourceSpans[0].scopeSpans[0].spans[0].attributes.push({
        key: 'k',
        value: nestedArray(40),
      }),
  ],
];

export function setAttribute(
  attributes: JsonKeyValue[],
  attribute: JsonKeyValue,
): JsonKeyValue[] {
  return [...attributes.filter(kv => kv.key !== attribute.key), attribute];
}

/** Builds an AnyValue of arrays nested `depth` levels deep. */
export function nestedArray(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'leaf' };
  for (let level = 0; level < depth; level++) {
    value = { arrayValue: { values: [value] } };
  }
  return value;
}
