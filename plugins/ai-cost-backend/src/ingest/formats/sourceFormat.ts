import { FieldError, isBlank, parseTimestamp } from '../normalizedRecord';
import { UsageRecord } from '../types';

/** A source record that is not usage, with the reason it was left out. */
export class SkippedRecord {
  constructor(readonly reason: string) {}
}

/** One record of a source file, with the export it was found in. */
export interface SourceItem {
  value: unknown;
  /** Enclosing export, such as the trace of a Langfuse trace export. */
  context?: unknown;
  /** Prefix of field names in errors, such as `observations[3].`. */
  fieldPrefix?: string;
}

/**
 * Reader of an export format of another tool. Unlike the normalised
 * format, unknown fields and CSV columns are ignored, because these tools
 * add fields from release to release.
 */
export interface SourceFormat {
  /** CSV columns that must be present. */
  requiredColumns: readonly string[];
  /** Items of a JSON body, or undefined when it has no known shape. */
  jsonItems(body: unknown): SourceItem[] | undefined;
  /** Items of one JSON Lines value. */
  lineItems(value: unknown): SourceItem[];
  /** Converts one item; throws FieldError naming the field. */
  toRecord(item: SourceItem, position: number): UsageRecord | SkippedRecord;
}

/** Returns a JSON object, or throws FieldError naming `where`. */
export function asObject(
  value: unknown,
  where: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(where, `${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads a field that contains a JSON object, either as an object (JSON
 * exports) or as JSON text (CSV exports, Langfuse metadata). Blank is
 * undefined. Text that is not a JSON object is undefined when `lenient`,
 * since free-form metadata may be plain text; otherwise it throws.
 */
export function readJsonObject(
  input: Record<string, unknown>,
  field: string,
  options: { lenient?: boolean } = {},
): Record<string, unknown> | undefined {
  let value = input[field];
  if (isBlank(value)) {
    return undefined;
  }

  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = undefined;
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return value as Record<string, unknown>;
  }
  if (options.lenient) {
    return undefined;
  }
  throw new FieldError(
    field,
    `${field} ${JSON.stringify(input[field]).slice(
      0,
      80,
    )} is not a JSON object`,
  );
}

/** Reads an optional text field; numbers are accepted as text. */
export function readText(
  input: Record<string, unknown> | undefined,
  field: string,
): string | undefined {
  const value = input?.[field];
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  return value.trim();
}

/**
 * Reads a list of tags: a JSON array, or JSON array text as in CSV
 * exports. Blank is an empty list.
 */
export function readTags(
  input: Record<string, unknown> | undefined,
  field: string,
): string[] {
  let value = input?.[field];
  if (isBlank(value)) {
    return [];
  }
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = undefined;
    }
  }
  if (!Array.isArray(value) || value.some(tag => typeof tag !== 'string')) {
    throw new FieldError(
      field,
      `${field} ${JSON.stringify(input?.[field])} is not a list of tags`,
    );
  }
  return value.map(tag => tag.trim()).filter(tag => tag !== '');
}

/**
 * Adds tags as selector attributes under `prefix`: a tag `key:value`
 * becomes `<prefix>key` = value, any other tag `<prefix><tag>` = true.
 */
export function addTagAttributes(
  attributes: Record<string, string>,
  prefix: string,
  tags: string[],
): void {
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    if (colon > 0) {
      attributes[`${prefix}${tag.slice(0, colon)}`] = tag.slice(colon + 1);
    } else {
      attributes[`${prefix}${tag}`] = 'true';
    }
  }
}

/**
 * Returns an OpenTelemetry `service.name`, leaving out the SDK default
 * `unknown_service` (with or without `:<executable>`), which means that
 * no name was set.
 */
export function serviceName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  const name = value.trim();
  return /^unknown_service(:|$)/.test(name) ? undefined : name;
}

/** Parses an ISO 8601 time of `field`; throws FieldError naming it. */
export function readTimestamp(
  input: Record<string, unknown>,
  field: string,
): number {
  try {
    return parseTimestamp(input[field]);
  } catch (error) {
    if (error instanceof FieldError) {
      throw new FieldError(field, error.message.replace(/^timestamp/, field));
    }
    throw error;
  }
}
