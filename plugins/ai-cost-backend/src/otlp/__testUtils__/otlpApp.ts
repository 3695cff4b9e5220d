import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { DatabasePriceStore } from '../../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../../database/DatabaseUsageStore';
import { EntityResolver } from '../../ingest/EntityResolver';
import { UsageIngestor } from '../../ingest/UsageIngestor';
import { ModelAlias, PriceBook } from '../../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../../pricing/priceSheet';
import { createOtlpRouter } from '../../service/otlpRouter';

export const SUPPORT = 'component:default/support-assistant';

/** Catalog of the OTLP tests: one component with a usage selector. */
export const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'support-assistant',
      namespace: 'default',
      annotations: {
        'ai-cost.io/usage-selector': 'service.name=support-assistant',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'support-ai' },
  },
];

/** Prices per million tokens in USD. */
export const TEST_PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-05-13',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10',
    batch: { input: '1.25', output: '5' },
  },
];

export interface OtlpAppOptions {
  prices?: PriceInput[];
  aliases?: ModelAlias[];
  maxBodyBytes?: number;
  retryAfterSeconds?: number;
  httpAuth?: HttpAuthService;
  permissions?: PermissionsService;
  /** Replaces the ingestor, for failures that a real database cannot show. */
  ingestor?: Pick<UsageIngestor, 'ingest'>;
}

/**
 * Builds an express app with the OTLP router on real stores of one test
 * database, a catalog served from memory and a fixed price book.
 */
export async function createOtlpApp(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: OtlpAppOptions = {},
): Promise<{ app: express.Express; knex: Knex }> {
  const knex = await databases.init(databaseId);
  const database = { getClient: async () => knex };
  const store = await DatabaseUsageStore.create({ database });
  const priceStore = await DatabasePriceStore.create({
    database,
    skipMigrations: true,
  });
  await priceStore.syncPrices(
    (options.prices ?? TEST_PRICES).map(parsePriceInput),
    {
      sourceKind: 'config',
      actor: 'config',
    },
  );
  const priceBook = new PriceBook({
    prices: await priceStore.listPriceVersions(),
    aliases: options.aliases,
  });
  const logger = mockServices.rootLogger({ level: 'none' });
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const resolver = new EntityResolver(catalog, mockServices.auth(), logger);
  const ingestor =
    options.ingestor ??
    new UsageIngestor({
      store,
      resolveEntity: attributes => resolver.resolve(attributes),
      getPriceBook: async () => priceBook,
    });

  const router = createOtlpRouter({
    httpAuth: options.httpAuth ?? mockServices.httpAuth(),
    permissions:
      options.permissions ??
      mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    ingestor,
    logger,
    maxBodyBytes: options.maxBodyBytes,
    retryAfterSeconds: options.retryAfterSeconds,
  });
  const app = express().use(router).use(mockErrorHandler());
  return { app, knex };
}

/** Stored usage rows of the OTLP tests, in request key order. */
export async function storedUsage(knex: Knex) {
  return knex('ai_cost_usage_records')
    .select(
      'request_key',
      'entity_ref',
      'provider',
      'model',
      'service_tier',
      'input_tokens',
      'cached_input_tokens',
      'output_tokens',
      'reasoning_tokens',
      'cost_pico',
      'currency',
      'task_id',
      'task_outcome',
    )
    .orderBy('request_key');
}
