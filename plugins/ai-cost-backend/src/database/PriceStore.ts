import { ExchangeRateInput } from '../pricing/ExchangeRates';
import { PriceOverride } from '../pricing/PriceBook';
import { ParsedPrice } from '../pricing/priceSheet';
import { PriceSourceKind, PriceVersion } from '../pricing/types';

/** A stored price version with its bookkeeping. */
export interface StoredPriceVersion extends PriceVersion {
  sourceKind: PriceSourceKind;
  createdAt: string;
  /** Set when a newer version replaced this one. */
  retiredAt?: string;
}

/** Counts of the changes a price sync made. */
export interface PriceSyncResult {
  added: number;
  changed: number;
  unchanged: number;
  /** Current versions retired because the source no longer lists them. */
  removed: number;
}

/** A negotiated override as stored. */
export interface StoredPriceOverride extends PriceOverride {
  sourceKind: 'config' | 'api';
  createdAt: string;
  createdBy: string;
}

/** A negotiated override as the API and app-config write it. */
export interface PriceOverrideInput {
  provider: string;
  model?: string;
  effectiveFrom: string;
  effectiveTo?: string;
  discountPercent?: string;
  currency?: string;
  schedules?: PriceVersion['schedules'];
}

/** One entry of the audit log. */
export interface AuditEntry {
  id: number;
  occurredAt: string;
  /** User or service entity ref, or `config` for start-up changes. */
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** Storage of the price catalog, overrides, exchange rates and audit log. */
export interface PriceStore {
  /**
   * Stores prices from one source. A price whose provider, model and
   * effectiveFrom match a current version with other content replaces it:
   * the old version is retired, not changed, so records priced with it
   * keep their figures. With `retireMissing`, the prices are the whole
   * source: its current versions missing from them are retired too. Each
   * change is audited.
   */
  syncPrices(
    prices: ParsedPrice[],
    options: {
      sourceKind: PriceSourceKind;
      actor: string;
      retireMissing?: boolean;
    },
  ): Promise<PriceSyncResult>;

  /** Lists current price versions, and retired ones when asked. */
  listPriceVersions(options?: {
    includeRetired?: boolean;
  }): Promise<StoredPriceVersion[]>;

  /** Lists overrides that are not deleted. */
  listOverrides(): Promise<StoredPriceOverride[]>;

  /** Stores an override and audits it. */
  createOverride(
    input: PriceOverrideInput,
    options: { actor: string; sourceKind: 'config' | 'api' },
  ): Promise<StoredPriceOverride>;

  /** Deletes an override and audits it; returns false when none had the id. */
  deleteOverride(id: number, actor: string): Promise<boolean>;

  /** Inserts or replaces exchange rates keyed by currency and date. */
  upsertExchangeRates(rates: ExchangeRateInput[], actor: string): Promise<void>;

  listExchangeRates(): Promise<ExchangeRateInput[]>;

  /** Appends an entry to the audit log. */
  appendAudit(entry: Omit<AuditEntry, 'id' | 'occurredAt'>): Promise<void>;

  /** Lists audit entries, newest first. */
  listAudit(options?: { limit?: number }): Promise<AuditEntry[]>;
}
