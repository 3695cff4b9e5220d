import { Server, createServer } from 'node:http';
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { DEFAULT_BILLING_CONFIG } from '../billing/billingConfig';
import { DatabaseBillingStore } from '../billing/DatabaseBillingStore';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { EntityResolver } from '../ingest/EntityResolver';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { PriceBook } from '../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { createBillingRouter } from '../service/billingRouter';
import { createOtlpRouter } from '../service/otlpRouter';
import { createRouter } from '../service/router';

/** Entity that the selector `service.name=support-assistant` selects. */
export const SUPPORT_ASSISTANT = 'component:default/support-assistant';

/** The gpt-4o list price of OpenAI, per million tokens in USD. */
export const GPT_4O_PRICE: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2024-05-13',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
};

const ENTITIES: Entity[] = [
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

/** An express app of the ingestion routes and the HTTP server serving it. */
export interface IngestApp {
  app: express.Express;
  /** Listens on 127.0.0.1 on a free port; close it after the test. */
  server: Server;
}

/**
 * Builds an app with the three ingestion routers mounted as the plugin
 * mounts them: `POST /billing/focus`, `POST /v1/traces` and `POST /usage`.
 * The stores use the given knex client after running the migrations, the
 * catalog contains support-assistant, and the price book contains gpt-4o.
 */
export async function startIngestApp(
  knex: Knex,
  options: { retryAfterSeconds?: number; otlpMaxBodyBytes?: number } = {},
): Promise<IngestApp> {
  const database = { getClient: async () => knex };
  const store = await DatabaseUsageStore.create({ database });
  const priceStore = await DatabasePriceStore.create({
    database,
    skipMigrations: true,
  });
  const billingStore = await DatabaseBillingStore.create({
    database,
    skipMigrations: true,
  });
  await priceStore.syncPrices([parsePriceInput(GPT_4O_PRICE)], {
    sourceKind: 'config',
    actor: 'config',
  });
  const priceBook = new PriceBook({
    prices: await priceStore.listPriceVersions(),
  });

  const logger = mockServices.rootLogger({ level: 'none' });
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const resolver = new EntityResolver(catalog, mockServices.auth(), logger);
  const ingestor = new UsageIngestor({
    store,
    resolveEntity: attributes => resolver.resolve(attributes),
    getPriceBook: async () => priceBook,
  });
  const httpAuth = mockServices.httpAuth();
  const permissions = mockServices.permissions({
    result: AuthorizeResult.ALLOW,
  });

  const app = express();
  app.use(
    await createBillingRouter({
      httpAuth,
      permissions,
      catalog,
      store: billingStore,
      config: DEFAULT_BILLING_CONFIG,
      getEstimated: (fromMonth, toMonth) =>
        store.sumByEntityMonth(fromMonth, toMonth),
      usageStore: store,
      logger,
    }),
  );
  app.use(
    createOtlpRouter({
      httpAuth,
      permissions,
      ingestor,
      logger,
      maxBodyBytes: options.otlpMaxBodyBytes,
      retryAfterSeconds: options.retryAfterSeconds,
    }),
  );
  app.use(
    await createRouter({
      httpAuth,
      permissions,
      catalog,
      store,
      priceStore,
      ingestor,
      currency: 'USD',
      azureTrace: {},
      logger,
      retryAfterSeconds: options.retryAfterSeconds,
    }),
  );
  app.use(mockErrorHandler());

  const server = createServer(app);
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return { app, server };
}

/** Closes the server, ending idle keep-alive connections first. */
export async function stopIngestApp(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}
