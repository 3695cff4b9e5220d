import { InputError } from '@backstage/errors';
import { FieldError } from '../ingest/normalizedRecord';
import { RecordError } from '../ingest/types';
import { BillingConfig } from './billingConfig';
import { FocusRow, isAiRow, toBillingRecord } from './billingRecord';
import { BillingStore, StoredBillingRecord } from './BillingStore';
import { readCsvRecords } from './csvRecords';
import { FocusHeader, FocusVersion, readFocusHeader } from './focusColumns';
import { OccurrenceCounter, formatRowKey, hashRowContent } from './rowKey';

/** Rejected rows listed in a result; later ones are only counted. */
export const MAX_LISTED_REJECTIONS = 1000;

/** Rows inserted per database round trip. */
const BATCH_SIZE = 500;

/** Outcome of one FOCUS import. */
export interface FocusImportResult {
  focusVersion: FocusVersion;
  /** AI rows stored by this import. */
  accepted: number;
  /** AI rows whose row key was stored before. */
  duplicates: number;
  /** Valid rows that do not count as AI cost; not stored. */
  skipped: number;
  /** Accepted rows without an entity. */
  unmapped: number;
  /** The first MAX_LISTED_REJECTIONS rejected rows. */
  rejected: RecordError[];
  rejectedCount: number;
}

/** Dependencies and settings of an import. */
export interface FocusImportOptions {
  store: BillingStore;
  config: BillingConfig;
  /** Name of the import source, such as the file name. */
  source: string;
  now?: () => Date;
}

/**
 * Imports a FOCUS 1.0–1.2 CSV stream: keeps the rows that count as AI
 * cost, maps them to entities, and stores them in batches, so memory does
 * not grow with the file. `record` of a rejection is the 1-based line on
 * which the row starts, the header being line 1.
 *
 * Throws InputError when the input is empty or the header lacks a
 * required column; rows already stored by then stay stored.
 */
export async function importFocusCsv(
  input: AsyncIterable<Uint8Array | string>,
  options: FocusImportOptions,
): Promise<FocusImportResult> {
  const now = options.now ?? (() => new Date());
  const counter = new OccurrenceCounter();
  let header: FocusHeader | undefined;
  let batch: StoredBillingRecord[] = [];
  const result: FocusImportResult = {
    focusVersion: '1.0',
    accepted: 0,
    duplicates: 0,
    skipped: 0,
    unmapped: 0,
    rejected: [],
    rejectedCount: 0,
  };

  const reject = (error: RecordError) => {
    result.rejectedCount++;
    if (result.rejected.length < MAX_LISTED_REJECTIONS) {
      result.rejected.push(error);
    }
  };

  const flush = async () => {
    const { insertedKeys } = await options.store.insertBillingRecords(batch);
    result.accepted += insertedKeys.size;
    result.duplicates += batch.length - insertedKeys.size;
    result.unmapped += batch.filter(
      record => record.entityRef === null && insertedKeys.has(record.rowKey),
    ).length;
    batch = [];
  };

  for await (const csvRecord of readCsvRecords(input)) {
    if (!header) {
      if ('error' in csvRecord) {
        throw new InputError(
          `Invalid CSV header on line ${csvRecord.line}: ${csvRecord.error}`,
        );
      }
      header = readFocusHeader(csvRecord.fields);
      result.focusVersion = header.version;
      continue;
    }

    const line = csvRecord.line;
    if ('error' in csvRecord) {
      reject({ record: line, message: `invalid CSV: ${csvRecord.error}` });
      continue;
    }
    if (csvRecord.fields.length !== header.columns.length) {
      reject({
        record: line,
        message: `row has ${csvRecord.fields.length} fields, the header has ${header.columns.length}; quote fields that contain commas`,
      });
      continue;
    }

    const row: FocusRow = new Map(
      header.columns.map((column, index) => [column, csvRecord.fields[index]]),
    );
    if (!isAiRow(row, options.config)) {
      result.skipped++;
      continue;
    }

    let record;
    try {
      record = toBillingRecord(row, options.config);
    } catch (error) {
      if (!(error instanceof FieldError)) {
        throw error;
      }
      reject({ record: line, field: error.field, message: error.message });
      continue;
    }

    const hash = hashRowContent(row);
    batch.push({
      ...record,
      rowKey: formatRowKey(hash, counter.next(hash)),
      focusVersion: header.version,
      source: options.source,
      importedAt: now().getTime(),
    });
    if (batch.length >= BATCH_SIZE) {
      await flush();
    }
  }

  if (!header) {
    throw new InputError(
      'The FOCUS file is empty; send a CSV with a header line and cost rows',
    );
  }
  if (batch.length > 0) {
    await flush();
  }
  return result;
}
