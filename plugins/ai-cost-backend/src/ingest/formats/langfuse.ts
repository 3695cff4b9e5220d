import { InputError } from '@backstage/errors';
import { normalizeProvider } from '../../pricing/modelNames';
import { TokenUsage } from '../../pricing/types';
import {
  FieldError,
  MAX_TOKENS_PER_REQUEST,
  isBlank,
  readName,
} from '../normalizedRecord';
import { fromOtelGenAiAttributes } from '../providerUsage';
import { UsageRecord } from '../types';
import { readCostAmount, sumAmounts } from './costAmount';
import {
  SkippedRecord,
  SourceFormat,
  SourceItem,
  addTagAttributes,
  asObject,
  readJsonObject,
  readText,
  readTimestamp,
  serviceName,
} from './sourceFormat';

/** Observation types that carry the usage of a model call. */
const USAGE_TYPES = new Set(['GENERATION', 'EMBEDDING']);

/** Reason of a generation without token counts or a non-zero cost. */
export const GENERATION_WITHOUT_USAGE = 'generation without usage';

/** Fields that a CSV export of observations must have. */
const REQUIRED_COLUMNS = ['id', 'traceId', 'type', 'startTime', 'model'];

/**
 * Observations exported from Langfuse: the public API's
 * `GET /api/public/observations` (`{ "data": [...] }`, or its array of
 * observations), JSON Lines of observations, a CSV export with the same
 * field names, and the trace export `{ "trace": {...}, "observations":
 * [...] }`.
 */
export const langfuse: SourceFormat = {
  requiredColumns: REQUIRED_COLUMNS,

  jsonItems(body) {
    if (Array.isArray(body)) {
      return body.map(value => ({ value }));
    }
    const object = body as Record<string, unknown> | null;
    if (Array.isArray(object?.observations)) {
      return object.observations.map(value => ({
        value,
        context: object.trace,
      }));
    }
    if (Array.isArray(object?.data)) {
      return object.data.map(value => ({ value }));
    }
    return undefined;
  },

  lineItems(value) {
    const object = value as Record<string, unknown> | null;
    if (Array.isArray(object?.observations)) {
      return object.observations.map((observation, index) => ({
        value: observation,
        context: object.trace,
        fieldPrefix: `observations[${index}].`,
      }));
    }
    return [{ value }];
  },

  toRecord(item: SourceItem) {
    const trace =
      item.context === undefined || item.context === null
        ? undefined
        : asObject(item.context, 'trace');
    return toObservationRecord(asObject(item.value, 'record'), trace);
  },
};

function toObservationRecord(
  observation: Record<string, unknown>,
  trace: Record<string, unknown> | undefined,
): UsageRecord | SkippedRecord {
  for (const field of ['id', 'type']) {
    if (isBlank(observation[field])) {
      throw new FieldError(field, `missing ${field}`);
    }
  }
  const type = readName(observation, 'type');
  if (!USAGE_TYPES.has(type)) {
    return new SkippedRecord(`observation type ${type}`);
  }

  const metadata = readJsonObject(observation, 'metadata', { lenient: true });
  const attributes = otelAttributes(metadata);
  const usage = readUsage(observation, attributes);
  const providerCost = readCost(observation);
  // Some integrations log the start and the end of one call as separate
  // generations; the ones without usage carry at most a zero cost.
  if (usage === undefined && (providerCost ?? '0') === '0') {
    return new SkippedRecord(GENERATION_WITHOUT_USAGE);
  }

  const model =
    readText(observation, 'model') ??
    readText(attributes, 'gen_ai.response.model') ??
    readText(attributes, 'gen_ai.request.model');
  if (model === undefined) {
    throw new FieldError('model', 'missing model');
  }

  const traceId = readText(observation, 'traceId') ?? readText(trace, 'id');
  const operation =
    type === 'EMBEDDING'
      ? 'embeddings'
      : readText(attributes, 'gen_ai.operation.name');

  return {
    timestamp: readTimestamp(observation, 'startTime'),
    attributes: readAttributes(observation, trace, metadata),
    provider: readProvider(attributes, model),
    model,
    ...(usage ?? {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      usageReported: false,
    }),
    ...(providerCost !== undefined
      ? { providerCost, providerCostCurrency: 'USD' }
      : {}),
    requestId: `langfuse:${readName(observation, 'id')}`,
    ...(traceId !== undefined ? { taskId: traceId } : {}),
    ...(operation && /^[a-z][a-z0-9_.-]{0,63}$/.test(operation)
      ? { operation }
      : {}),
  };
}

/**
 * Reads the token counts, from `usageDetails` first. Langfuse usage types
 * are disjoint: `input` counts only the input tokens that no other input
 * type counts, so `input_cache_read` is beside it, not inside it, and
 * `output` excludes `output_reasoning`. The input total is therefore the
 * sum of every input type, the output total that of every output type.
 * An observation without usageDetails falls back to `usage` (input,
 * output), `promptTokens` and `completionTokens`, then to the
 * `gen_ai.usage.*` span attributes in its metadata. Returns undefined when
 * none of these contains a count.
 */
function readUsage(
  observation: Record<string, unknown>,
  attributes: Record<string, unknown>,
): TokenUsage | undefined {
  const details = readJsonObject(observation, 'usageDetails');
  if (details && Object.keys(details).length > 0) {
    return fromUsageDetails(details);
  }

  const legacy = readJsonObject(observation, 'usage', { lenient: true });
  const input = legacy?.input ?? observation.promptTokens;
  const output = legacy?.output ?? observation.completionTokens;
  if (!isBlank(input) || !isBlank(output)) {
    return {
      inputTokens: readUsageCount(input, 'usage.input'),
      cachedInputTokens: 0,
      outputTokens: readUsageCount(output, 'usage.output'),
    };
  }

  if (
    attributes['gen_ai.usage.input_tokens'] !== undefined ||
    attributes['gen_ai.usage.prompt_tokens'] !== undefined
  ) {
    try {
      return fromOtelGenAiAttributes(attributes);
    } catch (error) {
      if (error instanceof InputError) {
        throw new FieldError('metadata.attributes', error.message);
      }
      throw error;
    }
  }
  return undefined;
}

type Side = 'input' | 'output';

/** Token buckets of a Langfuse usage type, by the words in its name. */
function classifyUsageType(
  key: string,
): { side: Side; bucket?: keyof TokenUsage } | undefined {
  const name = key.toLowerCase();
  const side = usageSide(name);
  if (side === undefined) {
    return undefined;
  }

  if (side === 'input') {
    if (/cache_read|cached/.test(name)) {
      return { side, bucket: 'cachedInputTokens' };
    }
    if (/cache_(creation|write)/.test(name)) {
      return {
        side,
        bucket: /1h/.test(name) ? 'cacheWrite1hTokens' : 'cacheWriteTokens',
      };
    }
    if (name.includes('audio')) {
      return { side, bucket: 'inputAudioTokens' };
    }
    if (name.includes('image')) {
      return { side, bucket: 'inputImageTokens' };
    }
    return { side };
  }

  if (/reasoning|thought/.test(name)) {
    return { side, bucket: 'reasoningTokens' };
  }
  if (name.includes('audio')) {
    return { side, bucket: 'outputAudioTokens' };
  }
  if (name.includes('image')) {
    return { side, bucket: 'outputImageTokens' };
  }
  return { side };
}

function usageSide(name: string): Side | undefined {
  if (name.includes('input') || name.startsWith('prompt')) {
    return 'input';
  }
  if (name.includes('output') || name.startsWith('completion')) {
    return 'output';
  }
  return undefined;
}

function fromUsageDetails(details: Record<string, unknown>): TokenUsage {
  const usage: TokenUsage = {
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
  };
  const buckets = usage as unknown as Record<string, number>;

  for (const [key, value] of Object.entries(details)) {
    const field = `usageDetails.${key}`;
    if (key === 'total') {
      readUsageCount(value, field);
      continue;
    }
    const type = classifyUsageType(key);
    if (type === undefined) {
      throw new FieldError(
        field,
        `${field} is neither an input nor an output usage type; its name must contain input, output, prompt or completion`,
      );
    }

    const count = readUsageCount(value, field);
    if (type.side === 'input') {
      usage.inputTokens += count;
    } else {
      usage.outputTokens += count;
    }
    if (type.bucket !== undefined && count > 0) {
      buckets[type.bucket] = (buckets[type.bucket] ?? 0) + count;
    }
  }

  for (const [side, total] of [
    ['inputTokens', usage.inputTokens],
    ['outputTokens', usage.outputTokens],
  ] as const) {
    if (total > MAX_TOKENS_PER_REQUEST) {
      throw new FieldError(
        'usageDetails',
        `usageDetails add up to ${total} ${side}, more than ${MAX_TOKENS_PER_REQUEST}`,
      );
    }
  }
  return usage;
}

function readUsageCount(value: unknown, field: string): number {
  if (isBlank(value)) {
    return 0;
  }
  const number =
    typeof value === 'string' && /^\s*\d{1,12}\s*$/.test(value)
      ? Number(value)
      : value;
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 0 ||
    number > MAX_TOKENS_PER_REQUEST
  ) {
    throw new FieldError(
      field,
      `${field} ${JSON.stringify(
        value,
      )} is not a token count; use a whole number from 0 to ${MAX_TOKENS_PER_REQUEST}`,
    );
  }
  return number;
}

/**
 * Reads `costDetails.total`, the cost in USD that Langfuse holds for the
 * observation: ingested from the SDK or integration, or computed by
 * Langfuse from its model prices. Without a total, the cost types add up,
 * as Langfuse adds them. Falls back to `totalCost` and
 * `calculatedTotalCost` of the public API.
 */
function readCost(observation: Record<string, unknown>): string | undefined {
  const details = readJsonObject(observation, 'costDetails');
  if (details && !isBlank(details.total)) {
    return readCostAmount(details.total, 'costDetails.total');
  }
  if (details && Object.keys(details).length > 0) {
    return sumAmounts(
      Object.entries(details).map(
        ([key, value]) => readCostAmount(value, `costDetails.${key}`) ?? '0',
      ),
    );
  }
  for (const field of ['totalCost', 'calculatedTotalCost']) {
    if (!isBlank(observation[field])) {
      return readCostAmount(observation[field], field);
    }
  }
  return undefined;
}

/**
 * Returns the span attributes that Langfuse keeps in the metadata of an
 * observation ingested through OpenTelemetry (`metadata.attributes`),
 * and the top-level metadata otherwise.
 */
function otelAttributes(
  metadata: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const attributes = metadata?.attributes;
  if (typeof attributes === 'object' && attributes !== null) {
    return { ...metadata, ...(attributes as Record<string, unknown>) };
  }
  return metadata ?? {};
}

/** Attributes that name the provider, most specific first. */
const PROVIDER_ATTRIBUTES = [
  'gen_ai.provider.name',
  'llm.provider',
  'ls_provider',
  'ai.model.provider',
  'gen_ai.system',
];

/** Model name prefixes of the main vendors, for observations without one. */
const MODEL_VENDORS: Array<[RegExp, string]> = [
  [/^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'gemini'],
  [/^(mistral-|codestral-|ministral-|pixtral-)/, 'mistral'],
];

function readProvider(
  attributes: Record<string, unknown>,
  model: string,
): string {
  for (const name of PROVIDER_ATTRIBUTES) {
    const value = readText(attributes, name);
    // The Vercel AI SDK writes the API after a dot: openai.responses.
    const provider = value && normalizeProvider(value.split('.')[0]);
    if (provider && !['gcp', 'langchain'].includes(provider)) {
      return provider;
    }
  }

  const vendor = MODEL_VENDORS.find(([pattern]) =>
    pattern.test(model.toLowerCase()),
  );
  if (vendor) {
    return vendor[1];
  }
  throw new FieldError(
    'metadata',
    `provider of model ${JSON.stringify(
      model,
    )} is unknown; set the gen_ai.provider.name span attribute`,
  );
}

function readAttributes(
  observation: Record<string, unknown>,
  trace: Record<string, unknown> | undefined,
  metadata: Record<string, unknown> | undefined,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) {
      attributes[key] = value;
    }
  };

  set('langfuse.trace.name', readText(trace, 'name'));
  set(
    'langfuse.user_id',
    readText(trace, 'userId') ?? readText(observation, 'userId'),
  );
  set(
    'langfuse.session_id',
    readText(trace, 'sessionId') ?? readText(observation, 'sessionId'),
  );
  set(
    'langfuse.environment',
    readText(observation, 'environment') ?? readText(trace, 'environment'),
  );
  set('langfuse.observation.name', readText(observation, 'name'));

  const traceMetadata = trace
    ? readJsonObject(trace, 'metadata', { lenient: true })
    : undefined;
  set(
    'service.name',
    serviceName(resourceAttribute(traceMetadata)) ??
      serviceName(resourceAttribute(metadata)),
  );

  const tags = Array.isArray(trace?.tags) ? trace!.tags : [];
  addTagAttributes(
    attributes,
    'langfuse.tag.',
    tags.filter((tag): tag is string => typeof tag === 'string'),
  );
  return attributes;
}

function resourceAttribute(
  metadata: Record<string, unknown> | undefined,
): unknown {
  const resource = metadata?.resourceAttributes;
  return typeof resource === 'object' && resource !== null
    ? (resource as Record<string, unknown>)['service.name']
    : undefined;
}
