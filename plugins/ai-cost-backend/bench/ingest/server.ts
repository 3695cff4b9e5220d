import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { AuthenticationError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { DatabasePriceStore } from '../../src/database/DatabasePriceStore';
import { DatabaseUsageStore } from '../../src/database/DatabaseUsageStore';
import { UsageRecordRow } from '../../src/database/tables';
import { EntityResolver } from '../../src/ingest/EntityResolver';
import { UsageIngestor } from '../../src/ingest/UsageIngestor';
import { PriceBook } from '../../src/pricing/PriceBook';
import { parsePriceInput } from '../../src/pricing/priceSheet';
import { createOtlpRouter } from '../../src/service/otlpRouter';
import { createRouter } from '../../src/service/router';
import { BenchDatabase } from './databases';
import { BENCH_PRICES, BENCH_SERVICES } from './spans';

/** Static token of app-config.yaml's external access, which the CLI sends. */
export const INGEST_TOKEN = 'local-ai-cost-ingest-token';

/**
 * Checks the static external-access token, as the backend's
 * `backend.auth.externalAccess` static entry does, and returns the
 * service principal of its subject.
 */
class StaticTokenHttpAuth implements HttpAuthService {
  private readonly expected = `Bearer ${INGEST_TOKEN}`;
  private readonly credentialsOfToken = mockCredentials.service(
    'external:ai-cost-importer',
  );

  async credentials(req: express.Request): Promise<any> {
    if (req.headers.authorization !== this.expected) {
      throw new AuthenticationError('Missing or invalid access token');
    }
    return this.credentialsOfToken as BackstageCredentials;
  }

  async issueUserCookie(): Promise<{ expiresAt: Date }> {
    throw new Error('The benchmark server issues no cookies');
  }
}

/**
 * Catalog entities whose `ai-cost.io/usage-selector` matches one
 * generated service each; the resolver reads them from memory.
 */
const ENTITIES: Entity[] = BENCH_SERVICES.map(service => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: service,
    namespace: 'default',
    annotations: { 'ai-cost.io/usage-selector': `service.name=${service}` },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'ai-platform' },
}));

/** The in-process receiver and the parts that the ceiling reuses. */
export interface BenchServer {
  /** Base URL such as `http://127.0.0.1:40123`. */
  url: string;
  knex: Knex;
  resolveEntity: (
    attributes: Record<string, string>,
  ) => Promise<string | undefined>;
  priceBook: PriceBook;
  close(): Promise<void>;
}

/**
 * Starts an express app on 127.0.0.1 with the plugin's OTLP router and
 * REST router, mounted under /api/ai-cost as the backend mounts them, on
 * the real stores, UsageIngestor and a PriceBook of the stored prices.
 * Entities come from a fixed list of selectors, so no catalog runs.
 */
export async function startBenchServer(
  database: BenchDatabase,
  logger: LoggerService,
): Promise<BenchServer> {
  const store = await DatabaseUsageStore.create({ database: database.service });
  const priceStore = await DatabasePriceStore.create({
    database: database.service,
    skipMigrations: true,
  });
  await priceStore.syncPrices(BENCH_PRICES.map(parsePriceInput), {
    sourceKind: 'config',
    actor: 'config',
  });
  const priceBook = new PriceBook({
    prices: await priceStore.listPriceVersions(),
  });

  const resolver = new EntityResolver(
    { getEntities: async () => ({ items: ENTITIES }) },
    mockServices.auth(),
    logger,
  );
  const resolveEntity = (attributes: Record<string, string>) =>
    resolver.resolve(attributes);
  const ingestor = new UsageIngestor({
    store,
    resolveEntity,
    getPriceBook: async () => priceBook,
  });

  const httpAuth = new StaticTokenHttpAuth();
  const permissions = mockServices.permissions({
    result: AuthorizeResult.ALLOW,
  });
  const middleware = MiddlewareFactory.create({
    config: new ConfigReader({}),
    logger,
  });

  const app = express();
  app.use(
    '/api/ai-cost',
    createOtlpRouter({ httpAuth, permissions, ingestor, logger }),
  );
  app.use(
    '/api/ai-cost',
    await createRouter({
      httpAuth,
      permissions,
      catalog: { getEntityByRef: async () => undefined },
      store,
      priceStore,
      ingestor,
      currency: 'USD',
      azureTrace: {},
      logger,
    }),
  );
  app.use(middleware.error());

  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    knex: await database.service.getClient(),
    resolveEntity,
    priceBook,
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** Counts the stored usage records, and those without a price or entity. */
export async function countStored(knex: Knex): Promise<{
  records: number;
  unpriced: number;
  unallocated: number;
}> {
  const [row] = await knex<UsageRecordRow>('ai_cost_usage_records').select(
    knex.raw('count(*) as records'),
    knex.raw('sum(case when cost_pico is null then 1 else 0 end) as unpriced'),
    knex.raw(
      'sum(case when entity_ref is null then 1 else 0 end) as unallocated',
    ),
  );
  const counts = row as unknown as Record<string, string | number | null>;
  return {
    records: Number(counts.records),
    unpriced: Number(counts.unpriced ?? 0),
    unallocated: Number(counts.unallocated ?? 0),
  };
}
