import { InputError } from '@backstage/errors';
import { fromOtelGenAiAttributes } from '../ingest/providerUsage';
import { MAX_TOKENS_PER_REQUEST } from '../ingest/normalizedRecord';
import {
  ParsedBatch,
  QUERY_COMPLEXITIES,
  QueryComplexity,
  RecordError,
  UsageRecord,
} from '../ingest/types';
import { splitProviderPrefix } from '../pricing/modelNames';
import { ServiceTier } from '../pricing/types';
import { AttributeMap, AttributeValue, OtlpSpan, spanPath } from './types';

/**
 * Span and resource attributes that the receiver reads. The GenAI names
 * follow the OpenTelemetry semantic conventions; `ai_cost.*` names are
 * this product's own.
 */
export const OTLP_ATTRIBUTES = {
  providerName: 'gen_ai.provider.name',
  /** Older name of gen_ai.provider.name. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  operationName: 'gen_ai.operation.name',
  /** OpenAI service tier of the response: default, flex, priority, scale. */
  openAiServiceTier: 'openai.response.service_tier',
  taskId: 'ai_cost.task.id',
  taskOutcome: 'ai_cost.task.outcome',
  semanticCacheHit: 'ai_cost.cache.semantic_hit',
  batch: 'ai_cost.batch',
  queryComplexity: 'ai_cost.query.complexity',
  retry: 'ai_cost.retry',
} as const;

/**
 * Token count attributes, each under the name that fromOtelGenAiAttributes
 * reads and the names that instrumentations use for it. The second names
 * are those of OpenLLMetry (traceloop opentelemetry-semantic-conventions-ai).
 */
export const TOKEN_ATTRIBUTES: ReadonlyArray<
  readonly [name: string, aliases: readonly string[]]
> = [
  ['gen_ai.usage.input_tokens', []],
  ['gen_ai.usage.prompt_tokens', []],
  ['gen_ai.usage.output_tokens', []],
  ['gen_ai.usage.completion_tokens', []],
  [
    'gen_ai.usage.cache_read.input_tokens',
    ['gen_ai.usage.cache_read_input_tokens'],
  ],
  [
    'gen_ai.usage.cache_creation.input_tokens',
    ['gen_ai.usage.cache_creation_input_tokens'],
  ],
  ['gen_ai.usage.reasoning.output_tokens', ['gen_ai.usage.reasoning_tokens']],
];

/**
 * Operations whose spans enclose model calls that have spans of their own,
 * so counting their usage would count the same tokens twice.
 */
export const IGNORED_OPERATIONS: ReadonlySet<string> = new Set([
  'invoke_agent',
  'create_agent',
  'execute_tool',
]);

const OUTPUT_NAMES = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
];

/** Maximum length of a string copied into the selector attributes. */
const MAX_SELECTOR_VALUE_LENGTH = 255;

const MAX_NAME_LENGTH = 255;

/** Reason for leaving a span out without rejecting it. */
export type IgnoredReason = 'no usage' | 'agent or tool operation';

/** Outcome of mapping one span. */
export type SpanMapping =
  | { type: 'record'; record: UsageRecord }
  | { type: 'ignored'; reason: IgnoredReason }
  | { type: 'rejected'; field?: string; message: string };

/** Records and rejections of a request, plus the spans left out. */
export interface SpanBatch extends ParsedBatch {
  /** Spans that carry no billable usage, by reason. */
  ignored: Record<IgnoredReason, number>;
}

/**
 * Maps the spans of one export request to usage records. `record` of a
 * rejection is the 0-based index of the span in the request.
 */
export function spansToBatch(spans: OtlpSpan[]): SpanBatch {
  const batch: SpanBatch = {
    records: [],
    errors: [],
    positions: [],
    ignored: { 'no usage': 0, 'agent or tool operation': 0 },
  };

  spans.forEach((span, index) => {
    const mapping = spanToUsage(span);
    if (mapping.type === 'record') {
      batch.records.push(mapping.record);
      batch.positions!.push(index);
    } else if (mapping.type === 'ignored') {
      batch.ignored[mapping.reason] += 1;
    } else {
      const error: RecordError = { record: index, message: mapping.message };
      if (mapping.field !== undefined) {
        error.field = mapping.field;
      }
      batch.errors.push(error);
    }
  });
  return batch;
}

/** Thrown inside the mapping of one span; names the attribute. */
class SpanError extends Error {
  constructor(readonly field: string | undefined, message: string) {
    super(message);
  }
}

/**
 * Maps one span to a usage record. Spans without token attributes and
 * agent or tool operations are ignored, except that a semantic cache hit
 * without token attributes is a record with zero tokens. Invalid values
 * reject the span with a message that names it and the attribute.
 */
export function spanToUsage(span: OtlpSpan): SpanMapping {
  const attributes = span.attributes;
  const operation = attributes[OTLP_ATTRIBUTES.operationName];
  if (typeof operation === 'string' && IGNORED_OPERATIONS.has(operation)) {
    return { type: 'ignored', reason: 'agent or tool operation' };
  }

  try {
    const semanticCacheHit = readFlag(span, OTLP_ATTRIBUTES.semanticCacheHit);
    const hasUsage = TOKEN_ATTRIBUTES.some(
      ([name, aliases]) =>
        attributes[name] !== undefined ||
        aliases.some(alias => attributes[alias] !== undefined),
    );
    if (!hasUsage && semanticCacheHit !== true) {
      return { type: 'ignored', reason: 'no usage' };
    }
    return {
      type: 'record',
      record: toRecord(span, hasUsage, semanticCacheHit),
    };
  } catch (error) {
    if (error instanceof SpanError) {
      return {
        type: 'rejected',
        field: error.field,
        message: `Span ${describeSpan(span)}: ${error.message}`,
      };
    }
    throw error;
  }
}

function toRecord(
  span: OtlpSpan,
  hasUsage: boolean,
  semanticCacheHit: boolean | undefined,
): UsageRecord {
  const attributes = span.attributes;
  checkIds(span);

  const model = readModel(attributes);
  const provider = readProvider(attributes, model);
  const tokens = hasUsage
    ? readTokens(attributes)
    : { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  const serviceTier = readServiceTier(span);

  const record: UsageRecord = {
    ...tokens,
    timestamp: readTimestamp(span),
    attributes: selectorAttributes(span),
    provider,
    model,
    requestId: `otlp:${span.traceId}:${span.spanId}`,
  };
  if (serviceTier !== undefined) {
    record.serviceTier = serviceTier;
  }

  const operation = attributes[OTLP_ATTRIBUTES.operationName];
  if (typeof operation === 'string' && operation !== '') {
    record.operation = operation;
  }
  const taskId = readText(span, OTLP_ATTRIBUTES.taskId);
  if (taskId !== undefined) {
    record.taskId = taskId;
  }
  const outcome = readChoice(span, OTLP_ATTRIBUTES.taskOutcome, [
    'success',
    'failure',
  ] as const);
  if (outcome !== undefined) {
    record.taskOutcome = outcome;
  }
  if (semanticCacheHit !== undefined) {
    record.semanticCacheHit = semanticCacheHit;
  }
  const complexity = readChoice<QueryComplexity>(
    span,
    OTLP_ATTRIBUTES.queryComplexity,
    QUERY_COMPLEXITIES,
  );
  if (complexity !== undefined) {
    record.queryComplexity = complexity;
  }
  const retry = readFlag(span, OTLP_ATTRIBUTES.retry);
  if (retry !== undefined) {
    record.retry = retry;
  }
  return record;
}

const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;

/** Checks the ids that make up the request id; all-zero ids are invalid. */
function checkIds(span: OtlpSpan): void {
  if (!TRACE_ID_PATTERN.test(span.traceId) || /^0+$/.test(span.traceId)) {
    throw new SpanError(
      'traceId',
      `traceId ${JSON.stringify(
        span.traceId,
      )} is not a valid trace id; expected 16 bytes (32 hex digits), not all zero`,
    );
  }
  if (!SPAN_ID_PATTERN.test(span.spanId) || /^0+$/.test(span.spanId)) {
    throw new SpanError(
      'spanId',
      `spanId ${JSON.stringify(
        span.spanId,
      )} is not a valid span id; expected 8 bytes (16 hex digits), not all zero`,
    );
  }
}

/** Returns the response model, which produced the output, else the request model. */
function readModel(attributes: AttributeMap): string {
  for (const name of [
    OTLP_ATTRIBUTES.responseModel,
    OTLP_ATTRIBUTES.requestModel,
  ]) {
    const value = readName(attributes, name);
    if (value !== undefined) {
      return value;
    }
  }
  throw new SpanError(
    OTLP_ATTRIBUTES.requestModel,
    `missing ${OTLP_ATTRIBUTES.requestModel} and ${OTLP_ATTRIBUTES.responseModel}; set the model name on the span`,
  );
}

function readProvider(attributes: AttributeMap, model: string): string {
  const provider =
    readName(attributes, OTLP_ATTRIBUTES.providerName) ??
    readName(attributes, OTLP_ATTRIBUTES.system) ??
    splitProviderPrefix(model)?.provider;
  if (provider === undefined) {
    throw new SpanError(
      OTLP_ATTRIBUTES.providerName,
      `missing ${OTLP_ATTRIBUTES.providerName} (or the older ${OTLP_ATTRIBUTES.system}); set the provider, such as openai`,
    );
  }
  return provider;
}

function readName(attributes: AttributeMap, name: string): string | undefined {
  const value = attributes[name];
  if (value === undefined || value === '') {
    return undefined;
  }
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.trim().length > MAX_NAME_LENGTH
  ) {
    throw new SpanError(
      name,
      `${name} ${describe(
        value,
      )} is not a name of 1 to ${MAX_NAME_LENGTH} characters`,
    );
  }
  return value.trim();
}

function readTokens(attributes: AttributeMap) {
  // Counts under the names that fromOtelGenAiAttributes reads.
  const counts: Record<string, number> = {};
  for (const [name, aliases] of TOKEN_ATTRIBUTES) {
    for (const source of [name, ...aliases]) {
      const value = attributes[source];
      if (value !== undefined) {
        counts[name] = readCount(value, source);
        break;
      }
    }
  }
  // An embeddings call reports input tokens only.
  if (OUTPUT_NAMES.every(name => counts[name] === undefined)) {
    counts[OUTPUT_NAMES[0]] = 0;
  }

  try {
    return fromOtelGenAiAttributes(counts);
  } catch (error) {
    if (error instanceof InputError) {
      throw new SpanError(undefined, error.message);
    }
    throw error;
  }
}

/** Reads a token count given as an integer, a whole double or digits. */
function readCount(value: AttributeValue, name: string): number {
  let count: number = NaN;
  if (typeof value === 'number') {
    count = value;
  } else if (typeof value === 'string' && /^\d{1,12}$/.test(value)) {
    count = Number(value);
  }

  if (!Number.isInteger(count) || count < 0 || count > MAX_TOKENS_PER_REQUEST) {
    throw new SpanError(
      name,
      `${name} ${describe(
        value,
      )} is not a token count; use a whole number from 0 to ${MAX_TOKENS_PER_REQUEST}`,
    );
  }
  return count;
}

/**
 * Returns `batch` when ai_cost.batch is true, else `flex` or `priority`
 * when openai.response.service_tier names one of them.
 */
function readServiceTier(span: OtlpSpan): ServiceTier | undefined {
  if (readFlag(span, OTLP_ATTRIBUTES.batch) === true) {
    return 'batch';
  }
  const tier = span.attributes[OTLP_ATTRIBUTES.openAiServiceTier];
  if (tier === 'flex' || tier === 'priority') {
    return tier;
  }
  return undefined;
}

/** Span end time in epoch milliseconds; the start time when the end is 0. */
function readTimestamp(span: OtlpSpan): number {
  const nanos = span.endTimeUnixNano || span.startTimeUnixNano;
  if (nanos === 0n) {
    throw new SpanError(
      'endTimeUnixNano',
      'endTimeUnixNano and startTimeUnixNano are missing; set the span times',
    );
  }
  return Number(nanos / 1_000_000n);
}

/** Reads a product attribute from the span, else from its resource. */
function readProductAttribute(
  span: OtlpSpan,
  name: string,
): AttributeValue | undefined {
  return span.attributes[name] ?? span.resource.attributes[name];
}

function readFlag(span: OtlpSpan, name: string): boolean | undefined {
  const value = readProductAttribute(span, name);
  if (value === undefined || typeof value === 'boolean') {
    return value;
  }
  // Resource attributes set through OTEL_RESOURCE_ATTRIBUTES are strings.
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  throw new SpanError(
    name,
    `${name} ${describe(value)} is not a boolean; use true or false`,
  );
}

function readChoice<T extends string>(
  span: OtlpSpan,
  name: string,
  choices: readonly T[],
): T | undefined {
  const value = readProductAttribute(span, name);
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value === 'string' &&
    (choices as readonly string[]).includes(value)
  ) {
    return value as T;
  }
  throw new SpanError(
    name,
    `${name} ${describe(value)} is not valid; use ${choices.join(' or ')}`,
  );
}

function readText(span: OtlpSpan, name: string): string | undefined {
  const value = readProductAttribute(span, name);
  if (value === undefined) {
    return undefined;
  }
  const text =
    typeof value === 'number' || typeof value === 'bigint'
      ? String(value)
      : value;
  if (
    typeof text !== 'string' ||
    text.trim() === '' ||
    text.trim().length > MAX_NAME_LENGTH
  ) {
    throw new SpanError(
      name,
      `${name} ${describe(
        value,
      )} is not a text of 1 to ${MAX_NAME_LENGTH} characters`,
    );
  }
  return text.trim();
}

/**
 * Returns the attributes matched against usage selectors: the resource
 * attributes, overridden by span attributes of the same key, because the
 * span is the more specific. Strings, numbers and booleans are copied as
 * strings. Arrays, key-value lists, bytes and strings longer than 255
 * characters are left out.
 */
function selectorAttributes(span: OtlpSpan): Record<string, string> {
  const selected: Record<string, string> = Object.create(null);
  copyScalars(span.resource.attributes, selected);
  copyScalars(span.attributes, selected);
  return selected;
}

function copyScalars(
  attributes: AttributeMap,
  target: Record<string, string>,
): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) {
      continue;
    }
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value.length <= MAX_SELECTOR_VALUE_LENGTH) {
        target[key] = value;
      }
    } else if (
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      typeof value === 'bigint'
    ) {
      target[key] = String(value);
    }
  }
}

export function describeSpan(span: OtlpSpan): string {
  return `${spanPath(span.position)} (trace ${
    span.traceId || 'missing'
  }, span ${span.spanId || 'missing'})`;
}

/** Describes an attribute value for an error message. */
function describe(value: AttributeValue): string {
  if (typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Uint8Array) {
    return 'bytes';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'a key-value list';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
