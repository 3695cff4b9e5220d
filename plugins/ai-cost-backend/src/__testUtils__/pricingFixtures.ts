import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { readAiCostConfig } from '../config';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { UsageRecord } from '../ingest/types';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { PricingService } from '../pricing/PricingService';

export const SUPPORT = 'component:default/support-assistant';
export const CODE = 'component:default/code-completion';

/** List prices in force when the usage below is stored. */
export const LIST_PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-05-13',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10',
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    effectiveFrom: '2024-07-18',
    currency: 'USD',
    input: '0.15',
    output: '0.60',
  },
];

/**
 * A correction sent later: gpt-4o with the same effectiveFrom and lower
 * prices, which replaces the version above, and a first price for o3-pro.
 */
export const CORRECTED_PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-05-13',
    currency: 'USD',
    input: '2.00',
    cachedInput: '1.00',
    output: '8',
  },
  {
    provider: 'openai',
    model: 'o3-pro',
    effectiveFrom: '2025-06-10',
    currency: 'USD',
    input: '20',
    output: '80',
  },
];

function record(
  requestId: string,
  timestamp: string,
  entityRef: string,
  model: string,
  tokens: { input: number; cached?: number; output: number },
): UsageRecord {
  return {
    requestId,
    timestamp: Date.parse(timestamp),
    entityRef,
    attributes: {},
    provider: 'openai',
    model,
    inputTokens: tokens.input,
    cachedInputTokens: tokens.cached ?? 0,
    outputTokens: tokens.output,
  };
}

/**
 * Six requests. Costs with the list prices, then with the corrected ones,
 * per million tokens:
 * - r1: 2,000 × 2.50 + 8,000 × 1.25 + 500 × 10 = 0.02;
 *   2,000 × 2 + 8,000 × 1 + 500 × 8 = 0.016
 * - r2: 1,000,000 × 2.50 + 100,000 × 10 = 3.5; 2 + 0.8 = 2.8
 * - r3: 3,100 × 0.15 + 1,900 × 0.60 = 0.001605 both times
 * - r4: after the repriced range; 10,000 × 2.50 + 1,000 × 10 = 0.035
 * - r5: o3-pro, unpriced; then 10 × 20 + 10 × 80 = 0.001
 * - r6: code completion; 1,000 × 2.50 + 100 × 10 = 0.0035;
 *   1,000 × 2 + 100 × 8 = 0.0028
 */
export const USAGE: UsageRecord[] = [
  record('r1', '2026-11-10T10:00:00Z', SUPPORT, 'gpt-4o', {
    input: 10_000,
    cached: 8_000,
    output: 500,
  }),
  record('r2', '2026-11-12T09:00:00Z', SUPPORT, 'gpt-4o', {
    input: 1_000_000,
    output: 100_000,
  }),
  record('r3', '2026-11-12T09:30:00Z', SUPPORT, 'gpt-4o-mini', {
    input: 3_100,
    output: 1_900,
  }),
  record('r4', '2026-11-20T08:00:00Z', SUPPORT, 'gpt-4o', {
    input: 10_000,
    output: 1_000,
  }),
  record('r5', '2026-11-12T10:00:00Z', SUPPORT, 'o3-pro', {
    input: 10,
    output: 10,
  }),
  record('r6', '2026-11-12T11:00:00Z', CODE, 'gpt-4o', {
    input: 1_000,
    output: 100,
  }),
];

/** Stored costs in pico-units with the list prices; null is unpriced. */
export const LIST_COSTS: Record<string, string | null> = {
  r1: '20000000000',
  r2: '3500000000000',
  r3: '1605000000',
  r4: '35000000000',
  r5: null,
  r6: '3500000000',
};

/** Tables of the plugin, in an order that deletes rows before those they reference. */
const TABLES = [
  'ai_cost_usage_records',
  'ai_cost_audit_log',
  'ai_cost_exchange_rates',
  'ai_cost_price_overrides',
  'ai_cost_prices',
];

/**
 * Creates the stores, pricing service and ingestor on a test database after
 * deleting every row, so that the tests of a file can share one database.
 */
export async function createPricingContext(
  knex: Knex,
  aiCost: JsonObject = {},
) {
  const database = { getClient: async () => knex };
  const usageStore = await DatabaseUsageStore.create({ database });
  const priceStore = await DatabasePriceStore.create({ database });
  for (const table of TABLES) {
    await knex(table).delete();
  }
  const config = readAiCostConfig(
    new ConfigReader({ aiCost: { curatedCatalog: false, ...aiCost } }),
  );
  const logger = mockServices.rootLogger({ level: 'none' });
  const pricing = new PricingService({ store: priceStore, config, logger });
  await pricing.syncConfiguredSources();
  const ingestor = new UsageIngestor({
    store: usageStore,
    resolveEntity: async () => undefined,
    getPriceBook: () => pricing.getPriceBook(),
  });

  return { usageStore, priceStore, pricing, ingestor, logger };
}

/** Stores the list prices from the API and the usage priced with them. */
export async function storeListPricedUsage(
  context: Awaited<ReturnType<typeof createPricingContext>>,
) {
  await context.pricing.syncPrices(
    LIST_PRICES.map(price => parsePriceInput(price)),
    'api',
    'user:default/admin',
  );
  await context.ingestor.ingest({ records: USAGE, errors: [] });
}

/** Stored pricing of one record: cost in pico-units and price version. */
export interface StoredPricing {
  cost: string | null;
  priceId: number | null;
}

/** Reads the stored pricing of each record, keyed by request id. */
export async function readStoredPricing(
  knex: Knex,
): Promise<Record<string, StoredPricing>> {
  const rows = await knex('ai_cost_usage_records')
    .select('request_key', 'cost_pico', 'price_id')
    .orderBy('request_key');
  return Object.fromEntries(
    rows.map(row => [
      row.request_key,
      {
        cost: row.cost_pico === null ? null : String(row.cost_pico),
        priceId: row.price_id === null ? null : Number(row.price_id),
      },
    ]),
  );
}

/** Id of the current price version of an OpenAI model. */
export async function currentPriceId(
  priceStore: DatabasePriceStore,
  model: string,
): Promise<number> {
  const versions = await priceStore.listPriceVersions();
  const version = versions.find(candidate => candidate.model === model);
  if (!version) {
    throw new Error(`No current price of ${model} in the test database`);
  }
  return version.id;
}
