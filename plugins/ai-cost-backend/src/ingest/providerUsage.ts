import { InputError } from '@backstage/errors';
import { ServiceTier, TokenUsage } from '../pricing/types';

// Converters from the usage blocks of provider responses to TokenUsage,
// whose totals include their parts: cache reads and writes inside
// `inputTokens`, reasoning inside `outputTokens` (OpenAI and OpenTelemetry
// GenAI semantics). Each throws an InputError naming the field for a count
// that is negative, fractional or not a number, and for parts that add up
// to more than their total. docs/pricing.md lists the fields per provider.

type UsageObject = Record<string, unknown>;

/**
 * Converts an OpenAI `usage` object of the Chat Completions API
 * (`prompt_tokens`, `completion_tokens`) or of the Responses API
 * (`input_tokens`, `output_tokens`). Both report cached and cache-write
 * tokens inside the prompt total and reasoning inside the completion
 * total. `cache_write_tokens` is reported by OpenRouter and by OpenAI
 * models that bill cache writes.
 */
export function fromOpenAiUsage(usage: unknown): TokenUsage {
  const body = asObject(usage, 'usage');

  if (
    body.prompt_tokens !== undefined ||
    body.completion_tokens !== undefined
  ) {
    return fromChatCompletionsUsage(body);
  }
  if (body.input_tokens !== undefined || body.output_tokens !== undefined) {
    return fromResponsesUsage(body);
  }
  throw new InputError(
    'Invalid OpenAI usage: neither prompt_tokens and completion_tokens (Chat Completions) nor input_tokens and output_tokens (Responses) are present',
  );
}

function fromChatCompletionsUsage(body: UsageObject): TokenUsage {
  const prompt = optionalObject(body, 'prompt_tokens_details', 'usage');
  const completion = optionalObject(body, 'completion_tokens_details', 'usage');
  const promptWhere = 'usage.prompt_tokens_details';
  const completionWhere = 'usage.completion_tokens_details';

  return checkParts(
    withoutUndefined({
      inputTokens: count(body, 'prompt_tokens', 'usage'),
      cachedInputTokens:
        optionalCount(prompt, 'cached_tokens', promptWhere) ?? 0,
      cacheWriteTokens: optionalCount(
        prompt,
        'cache_write_tokens',
        promptWhere,
      ),
      inputAudioTokens: optionalCount(prompt, 'audio_tokens', promptWhere),
      outputTokens: count(body, 'completion_tokens', 'usage'),
      reasoningTokens: optionalCount(
        completion,
        'reasoning_tokens',
        completionWhere,
      ),
      outputAudioTokens: optionalCount(
        completion,
        'audio_tokens',
        completionWhere,
      ),
      outputImageTokens: optionalCount(
        completion,
        'image_tokens',
        completionWhere,
      ),
    }),
    {
      input: 'usage.prompt_tokens',
      output: 'usage.completion_tokens',
    },
  );
}

function fromResponsesUsage(body: UsageObject): TokenUsage {
  const input = optionalObject(body, 'input_tokens_details', 'usage');
  const output = optionalObject(body, 'output_tokens_details', 'usage');
  const inputWhere = 'usage.input_tokens_details';

  return checkParts(
    withoutUndefined({
      inputTokens: count(body, 'input_tokens', 'usage'),
      cachedInputTokens: optionalCount(input, 'cached_tokens', inputWhere) ?? 0,
      cacheWriteTokens: optionalCount(input, 'cache_write_tokens', inputWhere),
      outputTokens: count(body, 'output_tokens', 'usage'),
      reasoningTokens: optionalCount(
        output,
        'reasoning_tokens',
        'usage.output_tokens_details',
      ),
    }),
    { input: 'usage.input_tokens', output: 'usage.output_tokens' },
  );
}

/**
 * Converts an Anthropic Messages API `usage` object. Anthropic reports
 * `input_tokens` beside `cache_read_input_tokens` and
 * `cache_creation_input_tokens`, so the input total is their sum.
 * `cache_creation.ephemeral_5m_input_tokens` and `ephemeral_1h_input_tokens`
 * split the cache writes by lifetime; writes that the split does not cover
 * count as 5-minute writes. Thinking tokens are inside `output_tokens`;
 * `output_tokens_details.thinking_tokens`, where present, gives their count.
 */
export function fromAnthropicUsage(usage: unknown): TokenUsage {
  const body = asObject(usage, 'usage');
  const uncached = count(body, 'input_tokens', 'usage');
  const cacheRead =
    optionalCount(body, 'cache_read_input_tokens', 'usage') ?? 0;
  const cacheCreation =
    optionalCount(body, 'cache_creation_input_tokens', 'usage') ?? 0;

  const lifetimes = optionalObject(body, 'cache_creation', 'usage');
  const write5m =
    optionalCount(
      lifetimes,
      'ephemeral_5m_input_tokens',
      'usage.cache_creation',
    ) ?? 0;
  const write1h =
    optionalCount(
      lifetimes,
      'ephemeral_1h_input_tokens',
      'usage.cache_creation',
    ) ?? 0;
  if (write5m + write1h > cacheCreation) {
    throw new InputError(
      `Invalid Anthropic usage: usage.cache_creation ephemeral_5m_input_tokens ${write5m} and ephemeral_1h_input_tokens ${write1h} add up to more than usage.cache_creation_input_tokens ${cacheCreation}`,
    );
  }

  const tool = optionalObject(body, 'server_tool_use', 'usage');
  const details = optionalObject(body, 'output_tokens_details', 'usage');

  return checkParts(
    withoutUndefined({
      inputTokens: uncached + cacheRead + cacheCreation,
      cachedInputTokens: cacheRead,
      cacheWriteTokens: cacheCreation - write1h,
      cacheWrite1hTokens: write1h,
      outputTokens: count(body, 'output_tokens', 'usage'),
      reasoningTokens: optionalCount(
        details,
        'thinking_tokens',
        'usage.output_tokens_details',
      ),
      webSearchRequests: optionalCount(
        tool,
        'web_search_requests',
        'usage.server_tool_use',
      ),
      serviceTier: anthropicServiceTier(body.service_tier),
    }),
    {
      input:
        'usage.input_tokens + cache_read_input_tokens + cache_creation_input_tokens',
      output: 'usage.output_tokens',
    },
  );
}

/**
 * Converts a Gemini API or Vertex AI `usageMetadata` object.
 * `promptTokenCount` includes `cachedContentTokenCount`;
 * `toolUsePromptTokenCount` (tool results fed back to the model) is
 * beside it and billed as input. `thoughtsTokenCount` is beside
 * `candidatesTokenCount`, so the output total is their sum, with the
 * thoughts as reasoning. Audio and image tokens come from the per-modality
 * details, less their cached part, which bills at the cached price. Every
 * count is optional, as Gemini leaves out zero counts.
 */
export function fromGeminiUsage(usageMetadata: unknown): TokenUsage {
  const body = asObject(usageMetadata, 'usageMetadata');
  const where = 'usageMetadata';
  const prompt = optionalCount(body, 'promptTokenCount', where) ?? 0;
  const toolUse = optionalCount(body, 'toolUsePromptTokenCount', where) ?? 0;
  const cached = optionalCount(body, 'cachedContentTokenCount', where) ?? 0;
  const candidates = optionalCount(body, 'candidatesTokenCount', where) ?? 0;
  const thoughts = optionalCount(body, 'thoughtsTokenCount', where);

  const promptModalities = modalityCounts(body, 'promptTokensDetails');
  const toolModalities = modalityCounts(body, 'toolUsePromptTokensDetails');
  const cachedModalities = modalityCounts(body, 'cacheTokensDetails');
  const outputModalities = modalityCounts(body, 'candidatesTokensDetails');
  const uncachedInput = (modality: string) => {
    const total =
      (promptModalities.get(modality) ?? 0) +
      (toolModalities.get(modality) ?? 0);
    return Math.max(0, total - (cachedModalities.get(modality) ?? 0));
  };

  return checkParts(
    withoutUndefined({
      inputTokens: prompt + toolUse,
      cachedInputTokens: cached,
      inputAudioTokens: nonZero(uncachedInput('AUDIO')),
      inputImageTokens: nonZero(uncachedInput('IMAGE')),
      outputTokens: candidates + (thoughts ?? 0),
      reasoningTokens: thoughts,
      outputAudioTokens: nonZero(outputModalities.get('AUDIO') ?? 0),
      outputImageTokens: nonZero(outputModalities.get('IMAGE') ?? 0),
    }),
    {
      input: 'usageMetadata.promptTokenCount + toolUsePromptTokenCount',
      output: 'usageMetadata.candidatesTokenCount + thoughtsTokenCount',
    },
  );
}

/**
 * Converts the token attributes of an OpenTelemetry GenAI span, given as
 * numbers or as the decimal strings that OTLP/JSON uses for 64-bit
 * integers. Names follow the GenAI semantic conventions (registry of
 * open-telemetry/semantic-conventions v1.44, moved since to
 * semantic-conventions-genai): `gen_ai.usage.input_tokens` includes
 * `gen_ai.usage.cache_read.input_tokens` and
 * `gen_ai.usage.cache_creation.input_tokens`, and
 * `gen_ai.usage.output_tokens` includes
 * `gen_ai.usage.reasoning.output_tokens`. The older
 * `gen_ai.usage.prompt_tokens` and `gen_ai.usage.completion_tokens` are
 * read when the current names are absent.
 */
export function fromOtelGenAiAttributes(
  attributes: Record<string, unknown>,
): TokenUsage {
  const input = firstCount(attributes, [
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
  ]);
  const output = firstCount(attributes, [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
  ]);

  return checkParts(
    withoutUndefined({
      inputTokens: input.value,
      cachedInputTokens:
        otelCount(attributes, 'gen_ai.usage.cache_read.input_tokens') ?? 0,
      cacheWriteTokens: otelCount(
        attributes,
        'gen_ai.usage.cache_creation.input_tokens',
      ),
      outputTokens: output.value,
      reasoningTokens: otelCount(
        attributes,
        'gen_ai.usage.reasoning.output_tokens',
      ),
    }),
    { input: input.name, output: output.name },
  );
}

function firstCount(
  attributes: Record<string, unknown>,
  names: string[],
): { name: string; value: number } {
  for (const name of names) {
    const value = otelCount(attributes, name);
    if (value !== undefined) {
      return { name, value };
    }
  }
  throw new InputError(
    `Invalid GenAI span attributes: ${names.join(' and ')} are missing`,
  );
}

function otelCount(
  attributes: Record<string, unknown>,
  name: string,
): number | undefined {
  const value = attributes[name];
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return toCount(Number(value), name);
  }
  return value === undefined ? undefined : toCount(value, name);
}

/** Anthropic's `service_tier`: `standard`, `priority` or `batch`. */
function anthropicServiceTier(value: unknown): ServiceTier | undefined {
  if (value === 'priority' || value === 'batch') {
    return value;
  }
  return value === 'standard' ? 'standard' : undefined;
}

/** Sums `tokenCount` per `modality` of a Gemini details list. */
function modalityCounts(body: UsageObject, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  const list = body[field];
  if (list === undefined) {
    return counts;
  }
  if (!Array.isArray(list)) {
    throw new InputError(
      `Invalid usage: usageMetadata.${field} is not a list of modality counts`,
    );
  }

  for (const [index, item] of list.entries()) {
    const where = `usageMetadata.${field}[${index}]`;
    const detail = asObject(item, where);
    const modality = detail.modality;
    if (typeof modality !== 'string') {
      throw new InputError(`Invalid usage: ${where}.modality is missing`);
    }
    const tokens = optionalCount(detail, 'tokenCount', where) ?? 0;
    counts.set(modality, (counts.get(modality) ?? 0) + tokens);
  }
  return counts;
}

/**
 * Throws an InputError when the parts of a total add up to more than it,
 * naming the fields, before the cost engine rejects the same usage.
 */
function checkParts(
  usage: TokenUsage,
  totals: { input: string; output: string },
): TokenUsage {
  const inputParts =
    usage.cachedInputTokens +
    (usage.cacheWriteTokens ?? 0) +
    (usage.cacheWrite1hTokens ?? 0) +
    (usage.inputAudioTokens ?? 0) +
    (usage.inputImageTokens ?? 0);
  const outputParts =
    (usage.reasoningTokens ?? 0) +
    (usage.outputAudioTokens ?? 0) +
    (usage.outputImageTokens ?? 0);

  if (inputParts > usage.inputTokens) {
    throw new InputError(
      `Invalid usage: cached, cache-write, audio and image input tokens add up to ${inputParts}, more than ${totals.input} ${usage.inputTokens}`,
    );
  }
  if (outputParts > usage.outputTokens) {
    throw new InputError(
      `Invalid usage: reasoning, audio and image output tokens add up to ${outputParts}, more than ${totals.output} ${usage.outputTokens}`,
    );
  }
  return usage;
}

function count(body: UsageObject, field: string, where: string): number {
  const value = optionalCount(body, field, where);
  if (value === undefined) {
    throw new InputError(`Invalid usage: ${where}.${field} is missing`);
  }
  return value;
}

function optionalCount(
  body: UsageObject | undefined,
  field: string,
  where: string,
): number | undefined {
  const value = body?.[field];
  // JSON null stands for an absent count in several SDKs.
  if (value === undefined || value === null) {
    return undefined;
  }
  return toCount(value, `${where}.${field}`);
}

function toCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    // JSON.stringify would print NaN and Infinity as null.
    const text =
      typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new InputError(
      `Invalid usage: ${name} is ${text}; expected a whole number of tokens, 0 or more`,
    );
  }
  return value;
}

function asObject(value: unknown, where: string): UsageObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`Invalid usage: ${where} is not an object`);
  }
  return value as UsageObject;
}

function optionalObject(
  body: UsageObject,
  field: string,
  where: string,
): UsageObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  return asObject(value, `${where}.${field}`);
}

function nonZero(value: number): number | undefined {
  return value > 0 ? value : undefined;
}

/** Drops undefined fields, so that absent counts stay absent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined),
  ) as T;
}
