import {
  normalizeProvider,
  splitProviderPrefix,
} from '../../pricing/modelNames';
import { TokenUsage } from '../../pricing/types';
import {
  FieldError,
  isBlank,
  readBoolean,
  readCount,
  readName,
} from '../normalizedRecord';
import { UsageRecord } from '../types';
import { readCostAmount } from './costAmount';
import {
  SkippedRecord,
  SourceFormat,
  SourceItem,
  addTagAttributes,
  asObject,
  readJsonObject,
  readTags,
  readText,
  readTimestamp,
  serviceName,
} from './sourceFormat';

/** Columns of LiteLLM_SpendLogs that a CSV export must have. */
const REQUIRED_COLUMNS = [
  'request_id',
  'startTime',
  'model',
  'prompt_tokens',
  'completion_tokens',
] as const;

/** LiteLLM `call_type` values mapped to GenAI operation names. */
const OPERATIONS: Record<string, string> = {
  completion: 'chat',
  acompletion: 'chat',
  responses: 'chat',
  aresponses: 'chat',
  text_completion: 'text_completion',
  atext_completion: 'text_completion',
  embedding: 'embeddings',
  aembedding: 'embeddings',
};

/** Reason of a failed request without tokens, which is not stored. */
export const FAILED_WITHOUT_USAGE = 'failed request without usage';

/**
 * Rows of LiteLLM proxy's `LiteLLM_SpendLogs` table, as the `/spend/logs`
 * API returns them (a JSON array, or an object with the array in `data`)
 * and as a CSV export of the table writes them.
 */
export const litellmSpendLogs: SourceFormat = {
  requiredColumns: REQUIRED_COLUMNS,

  jsonItems(body) {
    const rows = Array.isArray(body)
      ? body
      : (body as { data?: unknown } | null)?.data;
    return Array.isArray(rows) ? rows.map(value => ({ value })) : undefined;
  },

  lineItems(value) {
    return [{ value }];
  },

  toRecord(item: SourceItem) {
    return toSpendLogRecord(asObject(item.value, 'record'));
  },
};

function toSpendLogRecord(
  row: Record<string, unknown>,
): UsageRecord | SkippedRecord {
  for (const field of REQUIRED_COLUMNS) {
    if (isBlank(row[field]) && !field.endsWith('_tokens')) {
      throw new FieldError(field, `missing ${field}`);
    }
  }

  const metadata = readJsonObject(row, 'metadata') ?? {};
  const usage = readTokens(row, metadata);
  const status = readText(row, 'status');
  if (
    status === 'failure' &&
    usage.inputTokens === 0 &&
    usage.outputTokens === 0
  ) {
    return new SkippedRecord(FAILED_WITHOUT_USAGE);
  }

  const { provider, model } = readProviderAndModel(row);
  const callType = readText(row, 'call_type');
  const operation = callType && (OPERATIONS[callType] ?? callType);
  const cacheHit = readCacheHit(row);
  const providerCost = readCostAmount(row.spend, 'spend');

  return {
    timestamp: readTimestamp(row, 'startTime'),
    attributes: readAttributes(row, metadata),
    provider,
    model,
    ...usage,
    ...(providerCost !== undefined
      ? { providerCost, providerCostCurrency: 'USD' }
      : {}),
    requestId: `litellm:${readName(row, 'request_id')}`,
    ...(operation && /^[a-z][a-z0-9_.-]{0,63}$/.test(operation)
      ? { operation }
      : {}),
    ...(cacheHit ? { semanticCacheHit: true } : {}),
  };
}

/**
 * Reads the token counts: totals from `prompt_tokens` and
 * `completion_tokens`, and their parts from `metadata.usage_object`, the
 * OpenAI-shaped usage that LiteLLM logs (cached tokens in
 * `prompt_tokens_details.cached_tokens`, reasoning in
 * `completion_tokens_details.reasoning_tokens`). For Anthropic models
 * LiteLLM adds `cache_creation_input_tokens` and
 * `cache_read_input_tokens` beside them.
 */
function readTokens(
  row: Record<string, unknown>,
  metadata: Record<string, unknown>,
): TokenUsage {
  const inputTokens = readCount(row, 'prompt_tokens');
  const outputTokens = readCount(row, 'completion_tokens');
  let parts: Partial<TokenUsage> = {};

  const usageObject = metadata.usage_object;
  if (
    typeof usageObject === 'object' &&
    usageObject !== null &&
    !Array.isArray(usageObject)
  ) {
    parts = readUsageParts(usageObject as Record<string, unknown>);
  }

  // NOTE: whether prompt_tokens of an Anthropic call includes cache reads
  // and writes was not checked for every LiteLLM release. Parts above the
  // total can only mean that it does not, so they are added to it.
  const inputParts =
    (parts.cachedInputTokens ?? 0) +
    (parts.cacheWriteTokens ?? 0) +
    (parts.cacheWrite1hTokens ?? 0);
  const cacheCounted = inputParts <= inputTokens;

  const usage: TokenUsage = {
    ...parts,
    inputTokens: cacheCounted ? inputTokens : inputTokens + inputParts,
    cachedInputTokens: parts.cachedInputTokens ?? 0,
    outputTokens,
  };
  const outputParts =
    (usage.reasoningTokens ?? 0) +
    (usage.outputAudioTokens ?? 0) +
    (usage.outputImageTokens ?? 0);
  if (outputParts > outputTokens) {
    throw new FieldError(
      'metadata.usage_object',
      `metadata.usage_object reports ${outputParts} reasoning, audio and image output tokens, more than completion_tokens ${outputTokens}`,
    );
  }
  return usage;
}

function readUsageParts(
  usageObject: Record<string, unknown>,
): Partial<TokenUsage> {
  const where = 'metadata.usage_object';
  const prompt = optionalObject(usageObject, 'prompt_tokens_details', where);
  const completion = optionalObject(
    usageObject,
    'completion_tokens_details',
    where,
  );
  const promptWhere = `${where}.prompt_tokens_details`;
  const completionWhere = `${where}.completion_tokens_details`;

  const cacheRead =
    usageCount(usageObject, 'cache_read_input_tokens', where) ||
    usageCount(prompt, 'cached_tokens', promptWhere);
  const cacheWrite =
    usageCount(usageObject, 'cache_creation_input_tokens', where) ||
    usageCount(prompt, 'cache_creation_tokens', promptWhere);

  return withoutZeros({
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    inputAudioTokens: usageCount(prompt, 'audio_tokens', promptWhere),
    reasoningTokens: usageCount(
      completion,
      'reasoning_tokens',
      completionWhere,
    ),
    outputAudioTokens: usageCount(completion, 'audio_tokens', completionWhere),
    outputImageTokens: usageCount(completion, 'image_tokens', completionWhere),
  });
}

function optionalObject(
  body: Record<string, unknown>,
  field: string,
  where: string,
): Record<string, unknown> | undefined {
  const value = body[field];
  return isBlank(value) ? undefined : asObject(value, `${where}.${field}`);
}

/** Reads a count of a usage object; JSON null, as LiteLLM writes it, is 0. */
function usageCount(
  body: Record<string, unknown> | undefined,
  field: string,
  where: string,
): number {
  if (body === undefined) {
    return 0;
  }
  try {
    return readCount(body, field);
  } catch (error) {
    if (error instanceof FieldError) {
      throw new FieldError(`${where}.${field}`, `${where}.${error.message}`);
    }
    throw error;
  }
}

function withoutZeros(parts: Partial<TokenUsage>): Partial<TokenUsage> {
  return Object.fromEntries(
    Object.entries(parts).filter(([, count]) => count !== 0),
  );
}

function readProviderAndModel(row: Record<string, unknown>): {
  provider: string;
  model: string;
} {
  const model = readName(row, 'model');
  const prefixed = splitProviderPrefix(model);
  const customProvider = readText(row, 'custom_llm_provider');

  if (customProvider) {
    const provider = normalizeProvider(customProvider);
    // LiteLLM logs some models with their provider prefix.
    return {
      provider,
      model: prefixed?.provider === provider ? prefixed.model : model,
    };
  }
  if (prefixed) {
    return prefixed;
  }
  throw new FieldError(
    'custom_llm_provider',
    `missing custom_llm_provider, and model ${JSON.stringify(
      model,
    )} has no provider prefix such as openai/; export the custom_llm_provider column`,
  );
}

/**
 * Reads `cache_hit`: a hit of LiteLLM's own response cache, answered
 * without a model call. The table stores it as text (True, False, None).
 */
function readCacheHit(row: Record<string, unknown>): boolean {
  const value = row.cache_hit;
  if (isBlank(value) || value === 'None') {
    return false;
  }
  return readBoolean(row, 'cache_hit') ?? false;
}

function readAttributes(
  row: Record<string, unknown>,
  metadata: Record<string, unknown>,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) {
      attributes[key] = value;
    }
  };

  set('litellm.team_id', readText(row, 'team_id'));
  set('litellm.team_alias', readText(metadata, 'user_api_key_team_alias'));
  set('litellm.key_alias', readText(metadata, 'user_api_key_alias'));
  set('litellm.user', readText(row, 'user'));
  set('litellm.end_user', readText(row, 'end_user'));
  set('litellm.model_group', readText(row, 'model_group'));

  const requester = metadata.requester_metadata;
  const requesterMetadata =
    typeof requester === 'object' && requester !== null
      ? (requester as Record<string, unknown>)
      : undefined;
  set(
    'service.name',
    serviceName(
      metadata['service.name'] ??
        metadata.service_name ??
        requesterMetadata?.['service.name'] ??
        requesterMetadata?.service_name,
    ),
  );

  const tags = new Set([
    ...readTags(row, 'request_tags'),
    ...readTags(metadata, 'tags'),
  ]);
  addTagAttributes(attributes, 'litellm.tag.', [...tags]);
  return attributes;
}
