import { createHash } from 'node:crypto';
import { FocusRow } from './billingRecord';
import {
  formatExactDecimal,
  parseExactDecimal,
  parseFocusTimestamp,
} from './focusValues';

/**
 * Columns whose values identify a charge. All exist since FOCUS 1.0, so
 * the same charge exported as 1.0 and as 1.2 gets the same key.
 */
const IDENTITY_COLUMNS = [
  'BillingAccountId',
  'SubAccountId',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'InvoiceIssuerName',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'RegionId',
  'ResourceId',
  'SkuId',
  'SkuPriceId',
  'CommitmentDiscountId',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ListCost',
  'ContractedCost',
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'Tags',
];

const DECIMAL_COLUMNS = new Set([
  'PricingQuantity',
  'ConsumedQuantity',
  'ListCost',
  'ContractedCost',
  'BilledCost',
  'EffectiveCost',
]);

const TIMESTAMP_COLUMNS = new Set([
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
]);

/**
 * Returns the sha256 (hex) of a row's identity columns. Decimals and
 * timestamps are normalised first, so `1.50` and `1.5`, or
 * `2024-09-18 22:00:00` and `2024-09-18T22:00:00Z`, give the same hash.
 */
export function hashRowContent(row: FocusRow): string {
  const values = IDENTITY_COLUMNS.map(column =>
    normalise(column, row.get(column) ?? null),
  );
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

function normalise(column: string, value: string | null): string | null {
  if (value === null) {
    return null;
  }
  if (DECIMAL_COLUMNS.has(column)) {
    const decimal = parseExactDecimal(value);
    return decimal ? formatExactDecimal(decimal) : value;
  }
  if (TIMESTAMP_COLUMNS.has(column)) {
    const millis = parseFocusTimestamp(value);
    return millis === undefined ? value : String(millis);
  }
  if (column === 'Tags') {
    return sortedJson(value);
  }
  // Line ends inside quoted fields change when a file is copied between
  // systems or re-chunked line by line; they do not change the charge.
  return value.replace(/\r\n?/g, '\n');
}

function sortedJson(value: string): string {
  try {
    const parsed = JSON.parse(value);
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      return value;
    }
    const keys = Object.keys(parsed).sort();
    return JSON.stringify(keys.map(key => [key, parsed[key]]));
  } catch {
    return value;
  }
}

/** Formats the stored key: content hash and occurrence number. */
export function formatRowKey(hash: string, occurrence: number): string {
  return `${hash}:${occurrence}`;
}

/**
 * Numbers repeated content within one request: the first row with a
 * hash gets 1, an identical later row 2, and so on. Each row takes at
 * most 16 bytes of an open-addressing table keyed by 64 bits of its hash,
 * where a Map of hex strings would take an estimated 100 bytes or more.
 * Two different hashes that share those bits get 1 and 2, like identical
 * rows. The numbers stay the same on every import of the file, so
 * deduplication is unaffected.
 */
export class OccurrenceCounter {
  private slots = new Uint32Array(2 * 1024);
  private size = 0;
  private readonly repeats = new Map<string, number>();

  /** Returns the occurrence number of the next row with this hash. */
  next(hash: string): number {
    const high = parseInt(hash.slice(0, 8), 16);
    // The low word is never 0, so 0 marks an empty slot.
    const low = (parseInt(hash.slice(8, 16), 16) | 1) >>> 0;

    if (this.contains(high, low)) {
      const occurrence = (this.repeats.get(hash) ?? 1) + 1;
      this.repeats.set(hash, occurrence);
      return occurrence;
    }

    this.insert(high, low);
    this.size++;
    if (this.size * 2 > this.slots.length / 2) {
      this.grow();
    }
    return 1;
  }

  private contains(high: number, low: number): boolean {
    const mask = this.slots.length / 2 - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot * 2 + 1];
      if (stored === 0) {
        return false;
      }
      if (stored === low && this.slots[slot * 2] === high) {
        return true;
      }
    }
  }

  private insert(high: number, low: number): void {
    const mask = this.slots.length / 2 - 1;
    let slot = low & mask;
    while (this.slots[slot * 2 + 1] !== 0) {
      slot = (slot + 1) & mask;
    }
    this.slots[slot * 2] = high;
    this.slots[slot * 2 + 1] = low;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let index = 0; index < old.length; index += 2) {
      if (old[index + 1] !== 0) {
        this.insert(old[index], old[index + 1]);
      }
    }
  }
}
