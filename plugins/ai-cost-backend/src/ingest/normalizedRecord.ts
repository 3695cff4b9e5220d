import { createHash } from 'node:crypto';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { QUERY_COMPLEXITIES, QueryComplexity, UsageRecord } from './types';

/** Largest token count accepted for one request. */
export const MAX_TOKENS_PER_REQUEST = 100_000_000;

/** Fields of the normalised usage format, in CSV column order. */
export const NORMALIZED_FIELDS = [
  'timestamp',
  'entityRef',
  'service',
  'provider',
  'model',
  'inputTokens',
  'cachedInputTokens',
  'outputTokens',
  'requestId',
  'taskId',
  'taskOutcome',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
  'inputAudioTokens',
  'inputImageTokens',
  'outputAudioTokens',
  'outputImageTokens',
  'webSearchRequests',
  'serviceTier',
  'providerCost',
  'providerCostCurrency',
  'operation',
  'semanticCacheHit',
  'queryComplexity',
  'retry',
] as const;

/** Parts of inputTokens, which must not add up to more than it. */
const INPUT_PARTS = [
  'cachedInputTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'inputAudioTokens',
  'inputImageTokens',
] as const;

/** Parts of outputTokens, which must not add up to more than it. */
const OUTPUT_PARTS = [
  'reasoningTokens',
  'outputAudioTokens',
  'outputImageTokens',
] as const;

const PROVIDER_COST_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,12})?$/;

/** GenAI operation names, such as chat, embeddings or text_completion. */
const OPERATION_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

const REQUIRED_FIELDS = ['timestamp', 'provider', 'model'];

const KNOWN_FIELDS = new Set<string>([...NORMALIZED_FIELDS, 'attributes']);

/** Validation failure of one field of one record. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Validates one record of the normalised format, given as an object of
 * JSON values or CSV strings, and returns it typed. A record without a
 * request id gets one derived from its content and its `position` in the
 * file (line or array index), so importing the same file again yields the
 * same ids while identical rows on other lines stay distinct. Throws
 * FieldError naming the field.
 */
export function toUsageRecord(
  input: Record<string, unknown>,
  position: number,
): UsageRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FieldError('record', 'record is not an object');
  }
  // A misspelt field would silently change the bill, so it is rejected.
  const unknown = Object.keys(input).find(key => !KNOWN_FIELDS.has(key));
  if (unknown !== undefined) {
    throw new FieldError(
      unknown,
      `unknown field ${JSON.stringify(unknown)}; use the fields ${[
        ...KNOWN_FIELDS,
      ].join(', ')}`,
    );
  }
  for (const field of REQUIRED_FIELDS) {
    if (isBlank(input[field])) {
      throw new FieldError(field, `missing ${field}`);
    }
  }

  // A streamed call whose stream ended without a usage chunk has neither
  // total. Its cost is unknown, so the record is kept and left unpriced.
  const usageReported =
    !isBlank(input.inputTokens) || !isBlank(input.outputTokens);
  if (usageReported && isBlank(input.inputTokens)) {
    throw new FieldError('inputTokens', 'missing inputTokens');
  }

  const inputTokens = readCount(input, 'inputTokens');
  const cachedInputTokens = readCount(input, 'cachedInputTokens');
  const outputTokens = readCount(input, 'outputTokens');
  const parts = readParts(input, inputTokens, outputTokens);
  const webSearchRequests = readCount(
    input,
    'webSearchRequests',
    'count of web searches',
  );

  const attributes = readAttributes(input);
  const entityRef = readEntityRef(input.entityRef);
  if (!entityRef && Object.keys(attributes).length === 0) {
    throw new FieldError(
      'entityRef',
      'missing entityRef; give entityRef, or service (or attributes) matched by an ai-cost.io/usage-selector annotation',
    );
  }

  const record: UsageRecord = {
    timestamp: parseTimestamp(input.timestamp),
    entityRef,
    attributes,
    provider: readName(input, 'provider'),
    model: readName(input, 'model'),
    inputTokens,
    cachedInputTokens,
    outputTokens,
    ...parts,
    ...(webSearchRequests > 0 ? { webSearchRequests } : {}),
    ...(usageReported ? {} : { usageReported: false }),
    serviceTier: readServiceTier(input.serviceTier),
    ...readProviderCost(input),
    requestId: '',
    taskId: readOptionalText(input, 'taskId'),
    taskOutcome: readOutcome(input.taskOutcome),
    ...readRequestFlags(input),
  };

  const requestId = readOptionalText(input, 'requestId');
  record.requestId = requestId ?? deriveRequestId(record, position);
  return record;
}

function readParts(
  input: Record<string, unknown>,
  inputTokens: number,
  outputTokens: number,
): Partial<
  Record<(typeof INPUT_PARTS)[number] | (typeof OUTPUT_PARTS)[number], number>
> {
  const parts: Record<string, number> = {};

  for (const [fields, total, totalName] of [
    [INPUT_PARTS, inputTokens, 'inputTokens'],
    [OUTPUT_PARTS, outputTokens, 'outputTokens'],
  ] as const) {
    let sum = 0;
    for (const field of fields) {
      const count = readCount(input, field);
      sum += count;
      if (count > 0 && field !== 'cachedInputTokens') {
        parts[field] = count;
      }
    }
    if (sum > total) {
      const named = fields.filter(field => !isBlank(input[field]));
      throw new FieldError(
        named[0] ?? fields[0],
        `${named.join(
          ' + ',
        )} = ${sum} exceeds ${totalName} ${total}; ${totalName} includes ${named.join(
          ', ',
        )}`,
      );
    }
  }
  return parts;
}

function readServiceTier(
  value: unknown,
): UsageRecord['serviceTier'] | undefined {
  if (isBlank(value)) {
    return undefined;
  }
  if (
    value === 'standard' ||
    value === 'batch' ||
    value === 'flex' ||
    value === 'priority'
  ) {
    return value;
  }
  throw new FieldError(
    'serviceTier',
    `serviceTier ${JSON.stringify(
      value,
    )} is not valid; use standard, batch, flex or priority`,
  );
}

function readProviderCost(
  input: Record<string, unknown>,
): Pick<UsageRecord, 'providerCost' | 'providerCostCurrency'> {
  const value = input.providerCost;
  if (isBlank(value)) {
    return {};
  }

  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !PROVIDER_COST_PATTERN.test(text.trim())) {
    throw new FieldError(
      'providerCost',
      `providerCost ${JSON.stringify(
        value,
      )} is not an amount; use a non-negative decimal with at most 12 decimals, such as "0.0125"`,
    );
  }

  const currency = isBlank(input.providerCostCurrency)
    ? 'USD'
    : String(input.providerCostCurrency);
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new FieldError(
      'providerCostCurrency',
      `providerCostCurrency ${JSON.stringify(
        currency,
      )} is not a 3-letter ISO 4217 code such as USD`,
    );
  }
  return { providerCost: text.trim(), providerCostCurrency: currency };
}

function deriveRequestId(record: UsageRecord, position: number): string {
  const content = JSON.stringify([
    record.timestamp,
    record.entityRef ?? null,
    record.attributes,
    record.provider,
    record.model,
    record.inputTokens,
    record.cachedInputTokens,
    record.outputTokens,
    record.taskId ?? null,
  ]);
  const hash = createHash('sha256').update(content).digest('hex');
  return `sha256:${hash.slice(0, 32)}@${position}`;
}

/** Returns whether a value is absent: undefined, null or an empty CSV value. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Reads a whole count from a JSON number or a CSV string of decimal digits;
 * a blank value is 0. Throws FieldError naming the field.
 */
export function readCount(
  input: Record<string, unknown>,
  field: string,
  noun = 'token count',
): number {
  const value = input[field];
  if (isBlank(value)) {
    return 0;
  }

  // Only plain decimal digits: Number() would also read "0x10", "1e3" and "".
  let number = value;
  if (typeof value === 'string') {
    number = /^\s*\d{1,12}\s*$/.test(value) ? Number(value) : NaN;
  }
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
      )} is not a ${noun}; use a whole number from 0 to ${MAX_TOKENS_PER_REQUEST}`,
    );
  }
  return number;
}

const TIMESTAMP_PATTERN =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date or date-time; a space may replace the `T`, and a
 * value without a zone is UTC. Digits beyond milliseconds are dropped.
 */
export function parseTimestamp(value: unknown): number {
  const match =
    typeof value === 'string' ? TIMESTAMP_PATTERN.exec(value.trim()) : null;
  let millis = NaN;

  if (match) {
    const [, date, time = '00:00', seconds = '00', fraction = '', zone] = match;
    const millisPart = fraction.slice(0, 3).padEnd(3, '0');
    // V8 (Node.js 22) reads a day past the month's end, such as 2023-02-30,
    // as a day of the next month, so the day is checked on its own.
    if (isCalendarDay(date)) {
      millis = Date.parse(
        `${date}T${time}:${seconds}.${millisPart}${zone ?? 'Z'}`,
      );
    }
  }

  if (Number.isNaN(millis)) {
    throw new FieldError(
      'timestamp',
      `timestamp ${JSON.stringify(
        value,
      )} is not an ISO 8601 date-time; use a form such as 2026-11-30T14:05:00Z (no zone means UTC)`,
    );
  }
  return millis;
}

function isCalendarDay(date: string): boolean {
  const millis = Date.parse(`${date}T00:00:00Z`);
  return (
    !Number.isNaN(millis) && new Date(millis).toISOString().startsWith(date)
  );
}

/** Reads a trimmed text of 1 to 255 characters; throws FieldError. */
export function readName(
  input: Record<string, unknown>,
  field: string,
): string {
  const value = input[field];
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.trim().length > 255
  ) {
    throw new FieldError(
      field,
      `${field} ${JSON.stringify(value)} is not a name of 1 to 255 characters`,
    );
  }
  return value.trim();
}

function readOptionalText(
  input: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = input[field];
  if (isBlank(value)) {
    return undefined;
  }
  return readName(input, field);
}

function readEntityRef(value: unknown): string | undefined {
  if (isBlank(value)) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new FieldError(
      'entityRef',
      `entityRef ${JSON.stringify(
        value,
      )} is not an entity ref; use a string such as component:default/support-assistant`,
    );
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(String(value), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLowerCase();
  } catch {
    throw new FieldError(
      'entityRef',
      `entityRef ${JSON.stringify(
        value,
      )} is not an entity ref; use a form such as component:default/support-assistant`,
    );
  }
}

function readAttributes(
  input: Record<string, unknown>,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  const raw = input.attributes;

  if (!isBlank(raw)) {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new FieldError(
        'attributes',
        'attributes is not an object of string values',
      );
    }
    for (const [key, value] of Object.entries(raw as object)) {
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new FieldError(
          `attributes.${key}`,
          `attributes.${key} is not a string or number`,
        );
      }
      attributes[key] = String(value);
    }
  }

  if (!isBlank(input.service)) {
    attributes['service.name'] = readName(input, 'service');
  }
  return attributes;
}

function readOutcome(value: unknown): 'success' | 'failure' | undefined {
  if (isBlank(value)) {
    return undefined;
  }
  if (value === 'success' || value === 'failure') {
    return value;
  }
  throw new FieldError(
    'taskOutcome',
    `taskOutcome ${JSON.stringify(value)} is not valid; use success or failure`,
  );
}

function readRequestFlags(
  input: Record<string, unknown>,
): Pick<
  UsageRecord,
  'operation' | 'semanticCacheHit' | 'queryComplexity' | 'retry'
> {
  const flags: ReturnType<typeof readRequestFlags> = {};

  if (!isBlank(input.operation)) {
    flags.operation = readOperation(input.operation);
  }
  const semanticCacheHit = readBoolean(input, 'semanticCacheHit');
  if (semanticCacheHit !== undefined) {
    flags.semanticCacheHit = semanticCacheHit;
  }
  if (!isBlank(input.queryComplexity)) {
    flags.queryComplexity = readQueryComplexity(input.queryComplexity);
  }
  const retry = readBoolean(input, 'retry');
  if (retry !== undefined) {
    flags.retry = retry;
  }
  return flags;
}

/** Reads a GenAI operation name such as chat; throws FieldError. */
export function readOperation(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text !== 'string' || !OPERATION_PATTERN.test(text)) {
    throw new FieldError(
      'operation',
      `operation ${JSON.stringify(
        value,
      )} is not an operation name; use lower-case letters, digits, "_", "." or "-", such as chat, embeddings or text_completion`,
    );
  }
  return text;
}

/**
 * Reads a JSON boolean or the CSV text true or false (any case); a blank
 * value is undefined. Throws FieldError naming the field.
 */
export function readBoolean(
  input: Record<string, unknown>,
  field: string,
): boolean | undefined {
  const value = input[field];
  if (isBlank(value)) {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  throw new FieldError(
    field,
    `${field} ${JSON.stringify(value)} is not a boolean; use true or false`,
  );
}

function readQueryComplexity(value: unknown): QueryComplexity {
  const match = QUERY_COMPLEXITIES.find(complexity => complexity === value);
  if (match === undefined) {
    throw new FieldError(
      'queryComplexity',
      `queryComplexity ${JSON.stringify(
        value,
      )} is not valid; use ${QUERY_COMPLEXITIES.join(', ')}`,
    );
  }
  return match;
}
