import { DatabaseService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import {
  ExchangeRateInput,
  validateExchangeRate,
} from '../pricing/ExchangeRates';
import { ParsedPrice, toIsoInstant } from '../pricing/priceSheet';
import { schedulesFromJson, schedulesToJson } from '../pricing/scheduleJson';
import { PriceSourceKind } from '../pricing/types';
import { connectDatabase } from './migrations';
import {
  AuditEntry,
  PriceOverrideInput,
  PriceStore,
  PriceSyncResult,
  StoredPriceOverride,
  StoredPriceVersion,
} from './PriceStore';

const PRICES = 'ai_cost_prices';
const OVERRIDES = 'ai_cost_price_overrides';
const RATES = 'ai_cost_exchange_rates';
const AUDIT = 'ai_cost_audit_log';

/** Rows per insert statement; stays below SQLite's bound-variable limit. */
const INSERT_CHUNK = 500;

interface PriceRow {
  id: number;
  provider: string;
  model: string;
  effective_from: string;
  effective_to: string | null;
  currency: string;
  schedules: string;
  dynamic: boolean | number;
  source: string | null;
  source_kind: PriceSourceKind;
  content_hash: string;
  created_at: string;
  retired_at: string | null;
}

interface OverrideRow {
  id: number;
  provider: string;
  model: string | null;
  effective_from: string;
  effective_to: string | null;
  discount_percent: string | null;
  currency: string | null;
  schedules: string | null;
  source_kind: 'config' | 'api';
  created_at: string;
  created_by: string;
}

/** PriceStore on knex, for SQLite and PostgreSQL. */
export class DatabasePriceStore implements PriceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabasePriceStore> {
    return new DatabasePriceStore(await connectDatabase(options));
  }

  private constructor(private readonly db: Knex) {}

  async syncPrices(
    prices: ParsedPrice[],
    options: {
      sourceKind: PriceSourceKind;
      actor: string;
      retireMissing?: boolean;
    },
  ): Promise<PriceSyncResult> {
    const result: PriceSyncResult = {
      added: 0,
      changed: 0,
      unchanged: 0,
      removed: 0,
    };
    const now = new Date().toISOString();

    await this.db.transaction(async tx => {
      const current: PriceRow[] = await tx(PRICES)
        .where({ source_kind: options.sourceKind })
        .whereNull('retired_at');
      const byKey = new Map(current.map(row => [versionKey(row), row]));
      const inserts: Omit<PriceRow, 'id'>[] = [];
      const retired: number[] = [];

      // The last of repeated entries wins, so a key never has two current
      // rows from one source.
      const latest = new Map<string, Omit<PriceRow, 'id'>>();
      for (const price of prices) {
        const row = toPriceRow(price, options.sourceKind, now);
        latest.set(versionKey(row), row);
      }

      for (const [key, row] of latest) {
        const existing = byKey.get(key);
        if (existing?.content_hash === row.content_hash) {
          result.unchanged += 1;
          continue;
        }
        if (existing) {
          retired.push(existing.id);
          result.changed += 1;
        } else {
          result.added += 1;
        }
        inserts.push(row);
      }

      if (options.retireMissing) {
        for (const [key, row] of byKey) {
          if (!latest.has(key)) {
            retired.push(row.id);
            result.removed += 1;
          }
        }
      }

      for (let start = 0; start < retired.length; start += INSERT_CHUNK) {
        await tx(PRICES)
          .whereIn('id', retired.slice(start, start + INSERT_CHUNK))
          .update({ retired_at: now });
      }
      for (let start = 0; start < inserts.length; start += INSERT_CHUNK) {
        await tx(PRICES).insert(inserts.slice(start, start + INSERT_CHUNK));
      }

      if (result.added > 0 || result.changed > 0 || result.removed > 0) {
        await tx(AUDIT).insert({
          occurred_at: now,
          actor: options.actor,
          action: 'prices.sync',
          subject: `prices from ${options.sourceKind}`,
          details: JSON.stringify({
            ...result,
            retiredPriceIds: retired,
          }),
        });
      }
    });

    return result;
  }

  async listPriceVersions(options?: {
    includeRetired?: boolean;
  }): Promise<StoredPriceVersion[]> {
    const query = this.db<PriceRow>(PRICES).orderBy('id');
    if (!options?.includeRetired) {
      query.whereNull('retired_at');
    }
    const rows: PriceRow[] = await query;
    return rows.map(toStoredVersion);
  }

  async listOverrides(): Promise<StoredPriceOverride[]> {
    const rows: OverrideRow[] = await this.db(OVERRIDES)
      .whereNull('deleted_at')
      .orderBy('id');
    return rows.map(toStoredOverride);
  }

  async createOverride(
    input: PriceOverrideInput,
    options: { actor: string; sourceKind: 'config' | 'api' },
  ): Promise<StoredPriceOverride> {
    const now = new Date().toISOString();
    const row = {
      provider: input.provider,
      model: input.model ?? null,
      effective_from: toIsoInstant(input.effectiveFrom, 'effectiveFrom'),
      effective_to: input.effectiveTo
        ? toIsoInstant(input.effectiveTo, 'effectiveTo')
        : null,
      discount_percent: input.discountPercent ?? null,
      currency: input.currency ?? null,
      schedules: input.schedules ? schedulesToJson(input.schedules) : null,
      source_kind: options.sourceKind,
      created_at: now,
      created_by: options.actor,
    };

    const id = await this.db.transaction(async tx => {
      const [inserted] = await tx(OVERRIDES).insert(row).returning('id');
      const overrideId = typeof inserted === 'object' ? inserted.id : inserted;
      await tx(AUDIT).insert({
        occurred_at: now,
        actor: options.actor,
        action: 'override.create',
        subject: `override ${overrideId}`,
        details: JSON.stringify({
          ...row,
          schedules: input.schedules && row.schedules,
        }),
      });
      return overrideId as number;
    });

    return toStoredOverride({ id, ...row });
  }

  async deleteOverride(id: number, actor: string): Promise<boolean> {
    const now = new Date().toISOString();

    return this.db.transaction(async tx => {
      const updated = await tx(OVERRIDES)
        .where({ id })
        .whereNull('deleted_at')
        .update({ deleted_at: now });
      if (updated === 0) {
        return false;
      }
      await tx(AUDIT).insert({
        occurred_at: now,
        actor,
        action: 'override.delete',
        subject: `override ${id}`,
        details: '{}',
      });
      return true;
    });
  }

  async upsertExchangeRates(
    rates: ExchangeRateInput[],
    actor: string,
  ): Promise<void> {
    if (rates.length === 0) {
      return;
    }
    // A stored invalid rate would make every later price book fail to load.
    rates.forEach(validateExchangeRate);

    await this.db.transaction(async tx => {
      for (let start = 0; start < rates.length; start += INSERT_CHUNK) {
        await tx(RATES)
          .insert(rates.slice(start, start + INSERT_CHUNK))
          .onConflict(['currency', 'date'])
          .merge();
      }
      await tx(AUDIT).insert({
        occurred_at: new Date().toISOString(),
        actor,
        action: 'exchange-rates.upsert',
        subject: 'exchange rates',
        details: JSON.stringify({ count: rates.length }),
      });
    });
  }

  async listExchangeRates(): Promise<ExchangeRateInput[]> {
    return this.db(RATES)
      .select('currency', 'date', 'rate')
      .orderBy(['currency', 'date']);
  }

  async appendAudit(entry: Omit<AuditEntry, 'id' | 'occurredAt'>) {
    await this.db(AUDIT).insert({
      occurred_at: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      details: JSON.stringify(entry.details),
    });
  }

  async listAudit(options?: { limit?: number }): Promise<AuditEntry[]> {
    const rows = await this.db(AUDIT)
      .orderBy('id', 'desc')
      .limit(options?.limit ?? 100);
    return rows.map(row => ({
      id: Number(row.id),
      occurredAt: row.occurred_at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      details: JSON.parse(row.details),
    }));
  }
}

function versionKey(
  row: Pick<PriceRow, 'provider' | 'model' | 'effective_from'>,
) {
  return `${row.provider.toLowerCase()}\u0000${row.model.toLowerCase()}\u0000${
    row.effective_from
  }`;
}

function toPriceRow(
  price: ParsedPrice,
  sourceKind: PriceSourceKind,
  now: string,
): Omit<PriceRow, 'id'> {
  const schedules = schedulesToJson(price.schedules);
  const content = JSON.stringify([
    price.currency,
    price.effectiveTo ?? null,
    price.dynamic,
    schedules,
  ]);

  return {
    provider: price.provider,
    model: price.model,
    effective_from: price.effectiveFrom,
    effective_to: price.effectiveTo ?? null,
    currency: price.currency,
    schedules,
    dynamic: price.dynamic,
    source: price.source?.slice(0, 500) ?? null,
    source_kind: sourceKind,
    content_hash: createHash('sha256').update(content).digest('hex'),
    created_at: now,
    retired_at: null,
  };
}

function toStoredVersion(row: PriceRow): StoredPriceVersion {
  const where = `${row.provider}/${row.model} from ${row.effective_from}`;

  return {
    id: row.id,
    provider: row.provider,
    model: row.model,
    effectiveFrom: Date.parse(row.effective_from),
    effectiveTo: row.effective_to ? Date.parse(row.effective_to) : undefined,
    currency: row.currency,
    schedules: schedulesFromJson(row.schedules, where),
    dynamic: Boolean(row.dynamic),
    source: row.source ?? undefined,
    sourceKind: row.source_kind,
    createdAt: row.created_at,
    retiredAt: row.retired_at ?? undefined,
  };
}

function toStoredOverride(row: OverrideRow): StoredPriceOverride {
  return {
    id: row.id,
    provider: row.provider,
    model: row.model ?? undefined,
    effectiveFrom: Date.parse(row.effective_from),
    effectiveTo: row.effective_to ? Date.parse(row.effective_to) : undefined,
    discountPercent: row.discount_percent ?? undefined,
    currency: row.currency ?? undefined,
    schedules: row.schedules
      ? schedulesFromJson(row.schedules, `override ${row.id}`)
      : undefined,
    sourceKind: row.source_kind,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
