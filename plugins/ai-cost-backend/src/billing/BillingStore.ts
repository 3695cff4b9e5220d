import { BillingRecord } from './billingRecord';
import { FocusVersion } from './focusColumns';

/** A billing record with its deduplication key and import details. */
export interface StoredBillingRecord extends BillingRecord {
  /** Content hash and occurrence number; see rowKey.ts. */
  rowKey: string;
  focusVersion: FocusVersion;
  /** Name of the import source, such as the file name. */
  source: string;
  /** Epoch milliseconds. */
  importedAt: number;
}

/** Inclusive range of UTC months, `YYYY-MM`. */
export interface MonthRange {
  fromMonth: string;
  toMonth: string;
}

/** Billed cost of one entity, or of unmapped rows, in one month and currency. */
export interface BilledCostSum {
  /** Null for rows without an entity. */
  entityRef: string | null;
  /** UTC month, `YYYY-MM`. */
  month: string;
  currency: string;
  /** Sum of BilledCost in pico-units; credits count negative. */
  billedCostPico: bigint;
  rows: number;
}

/** Storage of billed cost imported from FOCUS exports. */
export interface BillingStore {
  /**
   * Inserts records and ignores those whose row key is stored already,
   * also when another process inserts the same key at the same time.
   * Returns the keys that this call stored.
   */
  insertBillingRecords(
    records: StoredBillingRecord[],
  ): Promise<{ insertedKeys: Set<string> }>;

  /**
   * Sums billed cost per entity, month and currency, unmapped rows
   * included with a null entity; only `entityRef` when given.
   */
  sumBilledCost(
    range: MonthRange,
    entityRef?: string,
  ): Promise<BilledCostSum[]>;

  /** Sums billed cost of rows without an entity per month and currency. */
  sumUnmappedBilledCost(range: MonthRange): Promise<BilledCostSum[]>;
}
