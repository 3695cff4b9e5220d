import { parse as parseSync } from 'csv-parse/sync';
import { AzureTraceTarget } from '../config';
import {
  FieldError,
  NORMALIZED_FIELDS,
  toUsageRecord,
} from './normalizedRecord';
import { ParsedBatch, RecordError, UsageRecord } from './types';

/** Import formats that the readers understand. */
export const USAGE_FORMATS = ['normalized', 'azure-llm-trace'] as const;

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

const AZURE_COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'];

/**
 * Reads a CSV body whose header is line 1. Each record is one line, so a
 * quoted field cannot span lines, and a line that cannot be parsed, such as
 * one with an unclosed quote, is rejected alone.
 */
export function readCsv(text: string, options: ReadOptions): ParsedBatch {
  const batch: ParsedBatch = { records: [], errors: [] };
  const lines = stripBom(text).split(/\r\n|\n|\r/);
  const columns = readHeader(lines[0]);

  const missing = requiredColumns(options.format).filter(
    column => !columns.includes(column),
  );
  const known = expectedColumns(options.format);
  const unknown = columns.filter(column => !known.includes(column));
  const repeated = columns.filter(
    (column, index) => columns.indexOf(column) !== index,
  );
  if (unknown.length > 0 || repeated.length > 0) {
    const column = unknown[0] ?? repeated[0];
    batch.errors.push({
      record: 1,
      field: column,
      message: `CSV header has ${
        unknown.length > 0 ? 'unknown' : 'repeated'
      } column ${column}; expected columns ${known.join(',')}`,
    });
    return batch;
  }
  if (missing.length > 0) {
    batch.errors.push({
      record: 1,
      field: missing[0],
      message: `CSV header lacks column ${missing.join(
        ', ',
      )}; expected columns ${expectedColumns(options.format).join(',')}`,
    });
    return batch;
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
      batch.errors.push({ record: line, message: `invalid CSV: ${reason}` });
      return;
    }

    if (values.length !== columns.length) {
      batch.errors.push({
        record: line,
        message: `line has ${values.length} columns, the header has ${columns.length}`,
      });
      return;
    }

    const record = Object.fromEntries(
      columns.map((column, position) => [column, values[position]]),
    );
    collect(batch, line, () => toRecord(record, line, options));
  });

  return batch;
}

/** Reads a JSON Lines body, one record object per line. */
export function readJsonLines(text: string, options: ReadOptions): ParsedBatch {
  const batch: ParsedBatch = { records: [], errors: [] };
  const lines = stripBom(text).split(/\r\n|\n|\r/);

  lines.forEach((content, index) => {
    const line = index + 1 + options.lineOffset;
    if (content.trim() === '') {
      return;
    }
    collect(batch, line, () => {
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch (error) {
        throw new FieldError(
          'record',
          `invalid JSON: ${(error as Error).message}`,
        );
      }
      return toRecord(value as Record<string, unknown>, line, options);
    });
  });

  return batch;
}

/** Reads a JSON body: an array of records or `{ "records": [...] }`. */
export function readJson(body: unknown, options: ReadOptions): ParsedBatch {
  const batch: ParsedBatch = { records: [], errors: [] };
  const records = Array.isArray(body)
    ? body
    : (body as { records?: unknown } | null)?.records;

  if (!Array.isArray(records)) {
    batch.errors.push({
      record: 0,
      field: 'records',
      message:
        'body is not a JSON array of records nor an object with a "records" array',
    });
    return batch;
  }

  records.forEach((value, index) => {
    collect(batch, index + options.lineOffset, () =>
      toRecord(value, index + options.lineOffset, options),
    );
  });
  return batch;
}

function toRecord(
  input: Record<string, unknown>,
  position: number,
  options: ReadOptions,
): UsageRecord {
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

function collect(
  batch: ParsedBatch,
  record: number,
  read: () => UsageRecord,
): void {
  try {
    batch.records.push(read());
  } catch (error) {
    if (!(error instanceof FieldError)) {
      throw error;
    }
    const rejected: RecordError = { record, message: error.message };
    if (error.field !== 'record') {
      rejected.field = error.field;
    }
    batch.errors.push(rejected);
  }
}

function readHeader(firstLine: string): string[] {
  try {
    return parseCsvLine(firstLine);
  } catch {
    return [];
  }
}

function parseCsvLine(line: string): string[] {
  const [values = []] = parseSync(line, {
    trim: true,
    relax_column_count: true,
  }) as string[][];
  return values;
}

function requiredColumns(format: UsageFormat): string[] {
  return format === 'azure-llm-trace'
    ? AZURE_COLUMNS
    : ['timestamp', 'provider', 'model', 'inputTokens'];
}

function expectedColumns(format: UsageFormat): string[] {
  return format === 'azure-llm-trace' ? AZURE_COLUMNS : [...NORMALIZED_FIELDS];
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
