import { SkippedRecordCount } from '@ai-cost/plugin-ai-cost-common';
import { parse as parseSync } from 'csv-parse/sync';
import { AzureTraceTarget } from '../config';
import {
  FieldError,
  NORMALIZED_FIELDS,
  toUsageRecord,
} from './normalizedRecord';
import { langfuse } from './formats/langfuse';
import { litellmSpendLogs } from './formats/litellmSpendLogs';
import {
  SkippedRecord,
  SourceFormat,
  SourceItem,
} from './formats/sourceFormat';
import { ParsedBatch, RecordError, UsageRecord } from './types';

/** Import formats that the readers understand. */
export const USAGE_FORMATS = [
  'normalized',
  'azure-llm-trace',
  'litellm-spend-logs',
  'langfuse',
] as const;

/** An import format. */
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/** Options of one import request. */
export interface ReadOptions {
  format: UsageFormat;
  /** Lines of the same file sent in earlier chunks, header excluded. */
  lineOffset: number;
  /** Target of an Azure trace import. */
  azureTrace?: { name: string } & AzureTraceTarget;
}

/**
 * Output of a reader: the valid records, the errors of the rest, and the
 * source records that are not usage, such as Langfuse spans.
 */
export interface ReadBatch extends ParsedBatch {
  positions: number[];
  skipped: SkippedRecordCount[];
}

const AZURE_COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'];

/** Export formats of other tools, read through SourceFormat. */
const SOURCE_FORMATS: Partial<Record<UsageFormat, SourceFormat>> = {
  'litellm-spend-logs': litellmSpendLogs,
  langfuse,
};

/** Collects the records, errors and skip counts of one request. */
class BatchBuilder {
  private readonly records: UsageRecord[] = [];
  private readonly positions: number[] = [];
  private readonly errors: RecordError[] = [];
  private readonly skipped = new Map<string, number>();

  /** Converts the items found at one position; errors name the position. */
  read(position: number, items: SourceItem[], options: ReadOptions): void {
    for (const item of items) {
      try {
        const result = toRecord(item, position, options);
        if (result instanceof SkippedRecord) {
          this.skipped.set(
            result.reason,
            (this.skipped.get(result.reason) ?? 0) + 1,
          );
        } else {
          this.records.push(result);
          this.positions.push(position);
        }
      } catch (error) {
        if (!(error instanceof FieldError)) {
          throw error;
        }
        const field =
          error.field === 'record' && item.fieldPrefix
            ? item.fieldPrefix.slice(0, -1)
            : `${item.fieldPrefix ?? ''}${error.field}`;
        this.reject(position, field, error.message);
      }
    }
  }

  reject(record: number, field: string, message: string): void {
    const rejected: RecordError = { record, message };
    if (field !== 'record') {
      rejected.field = field;
    }
    this.errors.push(rejected);
  }

  build(): ReadBatch {
    return {
      records: this.records,
      errors: this.errors,
      positions: this.positions,
      skipped: [...this.skipped].map(([reason, records]) => ({
        reason,
        records,
      })),
    };
  }
}

/**
 * Reads a CSV body whose header is line 1. Each record is one line, so a
 * quoted field cannot span lines, and a line that cannot be parsed, such as
 * one with an unclosed quote, is rejected alone.
 */
export function readCsv(text: string, options: ReadOptions): ReadBatch {
  const batch = new BatchBuilder();
  const lines = stripBom(text).split(/\r\n|\n|\r/);
  const columns = readHeader(lines[0]);

  const missing = requiredColumns(options.format).filter(
    column => !columns.includes(column),
  );
  const known = expectedColumns(options.format);
  // Export formats of other tools may carry any other column.
  const unknown = SOURCE_FORMATS[options.format]
    ? []
    : columns.filter(column => !known.includes(column));
  const repeated = columns.filter(
    (column, index) => columns.indexOf(column) !== index,
  );
  if (unknown.length > 0 || repeated.length > 0) {
    const column = unknown[0] ?? repeated[0];
    batch.reject(
      1,
      column,
      `CSV header has ${
        unknown.length > 0 ? 'unknown' : 'repeated'
      } column ${column}; expected columns ${known.join(',')}`,
    );
    return batch.build();
  }
  if (missing.length > 0) {
    batch.reject(
      1,
      missing[0],
      `CSV header lacks column ${missing.join(
        ', ',
      )}; the required columns are ${requiredColumns(options.format).join(
        ',',
      )}, and the optional ones are listed in docs/usage-import.md`,
    );
    return batch.build();
  }

  lines.forEach((content, index) => {
    const line = index + 1 + options.lineOffset;
    if (index === 0 || content.trim() === '') {
      return;
    }

    let values: string[];
    try {
      values = parseCsvLine(content);
    } catch (error) {
      // csv-parse numbers lines within the single line passed to it, so its
      // line number is dropped.
      const reason = (error as Error).message.replace(/ at line \d+/, '');
      batch.reject(line, 'record', `invalid CSV: ${reason}`);
      return;
    }

    if (values.length !== columns.length) {
      batch.reject(
        line,
        'record',
        `line has ${values.length} columns, the header has ${columns.length}`,
      );
      return;
    }

    const record = Object.fromEntries(
      columns.map((column, position) => [column, values[position]]),
    );
    batch.read(line, [{ value: record }], options);
  });

  return batch.build();
}

/**
 * Reads a JSON Lines body, one record object per line; with the langfuse
 * format a line may also hold a whole trace export.
 */
export function readJsonLines(text: string, options: ReadOptions): ReadBatch {
  const batch = new BatchBuilder();
  const lines = stripBom(text).split(/\r\n|\n|\r/);

  lines.forEach((content, index) => {
    const line = index + 1 + options.lineOffset;
    if (content.trim() === '') {
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      batch.reject(line, 'record', `invalid JSON: ${(error as Error).message}`);
      return;
    }
    const source = SOURCE_FORMATS[options.format];
    batch.read(line, source ? source.lineItems(value) : [{ value }], options);
  });

  return batch.build();
}

/**
 * Reads a JSON body: an array of records or `{ "records": [...] }`, and
 * for the export formats of other tools the shapes that their readers
 * list. Each array element is numbered by its index plus `lineOffset`.
 */
export function readJson(body: unknown, options: ReadOptions): ReadBatch {
  const batch = new BatchBuilder();
  const source = SOURCE_FORMATS[options.format];
  const items = source ? source.jsonItems(body) : normalizedItems(body);

  if (items === undefined) {
    batch.reject(
      0,
      source ? 'body' : 'records',
      source
        ? `body is not a JSON shape of ${options.format}; see docs/usage-import.md for the shapes`
        : 'body is not a JSON array of records nor an object with a "records" array',
    );
    return batch.build();
  }

  items.forEach((item, index) => {
    batch.read(index + options.lineOffset, [item], options);
  });
  return batch.build();
}

function normalizedItems(body: unknown): SourceItem[] | undefined {
  const records = Array.isArray(body)
    ? body
    : (body as { records?: unknown } | null)?.records;
  return Array.isArray(records) ? records.map(value => ({ value })) : undefined;
}

function toRecord(
  item: SourceItem,
  position: number,
  options: ReadOptions,
): UsageRecord | SkippedRecord {
  const source = SOURCE_FORMATS[options.format];
  if (source) {
    return source.toRecord(item, position);
  }

  const input = item.value as Record<string, unknown>;
  if (options.format === 'normalized') {
    return toUsageRecord(input, position);
  }

  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FieldError('record', 'record is not an object');
  }
  const trace = options.azureTrace!;
  return toUsageRecord(
    {
      timestamp: input.TIMESTAMP,
      entityRef: trace.entityRef,
      provider: trace.provider,
      model: trace.model,
      inputTokens: input.ContextTokens,
      outputTokens: input.GeneratedTokens,
      // Timestamps of the trace are not unique, so the line identifies a row.
      requestId: `azure-llm-trace:${trace.name}:line-${position}`,
    },
    position,
  );
}

function readHeader(firstLine: string): string[] {
  try {
    return parseCsvLine(firstLine);
  } catch {
    return [];
  }
}

function parseCsvLine(line: string): string[] {
  if (line.trim() === '') {
    return [];
  }
  // A line without quotes splits on commas alone, as csv-parse would split
  // it; building a csv-parse parser per line costs far more than the split.
  if (!line.includes('"')) {
    return line.split(',').map(value => value.trim());
  }
  const [values = []] = parseSync(line, {
    trim: true,
    relax_column_count: true,
  }) as string[][];
  return values;
}

function requiredColumns(format: UsageFormat): readonly string[] {
  const source = SOURCE_FORMATS[format];
  if (source) {
    return source.requiredColumns;
  }
  return format === 'azure-llm-trace'
    ? AZURE_COLUMNS
    : ['timestamp', 'provider', 'model', 'inputTokens'];
}

function expectedColumns(format: UsageFormat): readonly string[] {
  const source = SOURCE_FORMATS[format];
  if (source) {
    return source.requiredColumns;
  }
  return format === 'azure-llm-trace' ? AZURE_COLUMNS : NORMALIZED_FIELDS;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
