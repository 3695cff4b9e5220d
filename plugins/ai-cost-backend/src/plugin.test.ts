import { TEST_DATABASE_IDS } from './__testUtils__/testDatabases';
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceMock,
  actionsServiceMock,
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { aiCostPlugin } from './plugin';

jest.setTimeout(60_000);

const ENTITY_REF = 'component:default/support-assistant';

const SUPPORT_ASSISTANT: Entity = {
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
};

describe('aiCostPlugin', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let backend: ReturnType<typeof createBackend>;
    let server: Server | undefined;
    let baseUrl: string;

    // startTestBackend of @backstage/backend-test-utils 1.11.7 listens on all
    // interfaces, so the backend is assembled from the default factories
    // with mock services and a root HTTP router bound to loopback.
    beforeAll(async () => {
      const knex = await databases.init(databaseId);

      backend = createBackend();
      for (const factory of [
        mockServices.auth.factory(),
        mockServices.auditor.factory(),
        mockServices.cache.factory(),
        mockServices.database.factory({ knex }),
        mockServices.discovery.factory(),
        mockServices.httpAuth.factory(),
        mockServices.httpRouter.factory(),
        mockServices.lifecycle.factory(),
        mockServices.logger.factory(),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.permissionsRegistry.factory(),
        mockServices.rootHealth.factory(),
        mockServices.rootLifecycle.factory(),
        mockServices.rootLogger.factory({ level: 'none' }),
        mockServices.scheduler.factory(),
        mockServices.userInfo.factory(),
        mockServices.urlReader.factory(),
        mockServices.events.factory(),
        actionsRegistryServiceMock.factory(),
        actionsServiceMock.factory(),
        metricsServiceMock.factory(),
        tracingServiceMock.factory(),
        // The catalog backend does not run here: catalogServiceMock serves
        // the entity from memory.
        catalogServiceMock.factory({ entities: [SUPPORT_ASSISTANT] }),
        rootHttpRouterServiceFactory({
          configure(context) {
            server = context.server;
            context.applyDefaults();
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { listen: { host: '127.0.0.1', port: 0 } },
            aiCost: {
              // The curated catalog would add prices beside these.
              curatedCatalog: false,
              prices: [
                {
                  provider: 'openai',
                  model: 'gpt-4o-mini',
                  effectiveFrom: '2024-07-18',
                  currency: 'USD',
                  input: '0.15',
                  output: '0.60',
                },
                {
                  provider: 'openai',
                  model: 'gpt-4o',
                  effectiveFrom: '2024-05-13',
                  currency: 'USD',
                  input: '2.50',
                  output: '10',
                },
              ],
              overrides: [
                {
                  provider: 'openai',
                  model: 'gpt-4o',
                  effectiveFrom: '2024-01-01',
                  discountPercent: '20',
                },
              ],
              modelAliases: [
                {
                  name: 'support-chat',
                  targetProvider: 'openai',
                  targetModel: 'gpt-4o-mini',
                },
              ],
            },
          },
        }),
      ]) {
        backend.add(factory);
      }
      backend.add(aiCostPlugin);
      await backend.start();

      const { port } = server!.address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}/api/ai-cost`;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('listens on loopback', () => {
      expect((server!.address() as AddressInfo).address).toBe('127.0.0.1');
    });

    it('lists configured prices', async () => {
      const response = await fetch(`${baseUrl}/prices`);
      const body = await response.json();

      expect(response.status).toBe(200);
      expect(body.items).toEqual([
        {
          id: expect.any(Number),
          provider: 'openai',
          model: 'gpt-4o-mini',
          effectiveFrom: '2024-07-18T00:00:00.000Z',
          effectiveTo: null,
          currency: 'USD',
          dynamic: false,
          schedules: {
            standard: { rates: { input: '0.15', output: '0.6' }, tiers: [] },
          },
          source: null,
          sourceKind: 'config',
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          retiredAt: null,
        },
        expect.objectContaining({ model: 'gpt-4o', sourceKind: 'config' }),
      ]);
    });

    it('stores and prices usage', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const posted = await fetch(`${baseUrl}/usage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([
          {
            timestamp: `${today}T00:00:00Z`,
            service: 'support-assistant',
            provider: 'openai',
            model: 'gpt-4o-mini',
            inputTokens: 3_100,
            outputTokens: 1_900,
            requestId: 'wiring-1',
          },
        ]),
      });

      const response = await fetch(
        `${baseUrl}/entities/component/default/support-assistant/cost`,
      );
      const body = await response.json();

      expect(posted.status).toBe(200);
      expect(response.status).toBe(200);
      expect(body.entityRef).toBe(ENTITY_REF);
      // 3,100 × 0.15 + 1,900 × 0.60 per million = 0.000465 + 0.00114.
      expect(body.totals.cost).toBe('0.001605');
    });

    /** Posts one record for today and returns the cost of its model. */
    async function costOfModel(
      requestId: string,
      model: string,
      tokens: { inputTokens: number; outputTokens: number },
    ) {
      const today = new Date().toISOString().slice(0, 10);
      const posted = await fetch(`${baseUrl}/usage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify([
          {
            timestamp: `${today}T00:00:00Z`,
            service: 'support-assistant',
            provider: 'openai',
            model,
            ...tokens,
            requestId,
          },
        ]),
      });
      expect(posted.status).toBe(200);

      const response = await fetch(
        `${baseUrl}/entities/component/default/support-assistant/cost`,
      );
      const body = await response.json();
      return body.byModel.find(
        (entry: { model: string }) => entry.model === model,
      )?.cost;
    }

    it('applies configured override', async () => {
      const cost = await costOfModel('override-1', 'gpt-4o', {
        inputTokens: 1_000,
        outputTokens: 100,
      });

      // 1,000 × 2.50 + 100 × 10 per million = 0.0035, less 20 %.
      expect(cost).toBe('0.0028');
    });

    it('resolves configured alias', async () => {
      const cost = await costOfModel('alias-1', 'support-chat', {
        inputTokens: 3_100,
        outputTokens: 1_900,
      });

      // Priced as gpt-4o-mini: 3,100 × 0.15 + 1,900 × 0.60 per million.
      expect(cost).toBe('0.001605');
    });
  });
});
