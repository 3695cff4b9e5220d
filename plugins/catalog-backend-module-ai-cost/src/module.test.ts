import { createSpecializedBackend } from '@backstage/backend-app-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  actionsRegistryServiceMock,
  actionsServiceMock,
  metricsServiceMock,
  tracingServiceMock,
} from '@backstage/backend-test-utils/alpha';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { catalogModuleAiCost } from './module';

const ENTITY_REF = 'component:default/support-assistant';

const BUDGET_ERROR =
  'Invalid annotation ai-cost.io/budget on component:default/support-assistant: "lots" is not an amount; use "<amount> <currency>/<period>" with period month, quarter, year, such as "2500 USD/month"';

function catalogInfo(budget: string): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: support-assistant',
    '  annotations:',
    `    ai-cost.io/budget: ${budget}`,
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: support-ai',
    '',
  ].join('\n');
}

/** Calls `read` once a second until it returns a value, for at most 30 s. */
async function waitFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;

  for (;;) {
    const value = await read();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the catalog');
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

describe('catalogModuleAiCost', () => {
  const mockDir = createMockDirectory();

  let backend: ReturnType<typeof createSpecializedBackend>;
  let baseUrl: string;

  // startTestBackend of @backstage/backend-test-utils 1.11 listens on all
  // interfaces, and replacing its root HTTP router makes it throw. So this
  // test assembles the backend from the same mock services, with a router
  // that listens on loopback only.
  beforeAll(async () => {
    mockDir.setContent({ 'catalog-info.yaml': catalogInfo('2500 USD/month') });

    let server: Server | undefined;
    backend = createSpecializedBackend({
      defaultServiceFactories: [
        mockServices.auth.factory(),
        mockServices.auditor.factory(),
        mockServices.cache.factory(),
        mockServices.database.factory(),
        mockServices.discovery.factory(),
        mockServices.httpAuth.factory(),
        mockServices.httpRouter.factory(),
        mockServices.lifecycle.factory(),
        mockServices.logger.factory(),
        mockServices.permissions.factory(),
        mockServices.permissionsRegistry.factory(),
        mockServices.rootHealth.factory(),
        mockServices.rootLifecycle.factory(),
        mockServices.rootLogger.factory(),
        mockServices.scheduler.factory(),
        mockServices.userInfo.factory(),
        mockServices.urlReader.factory(),
        mockServices.events.factory(),
        actionsRegistryServiceMock.factory(),
        actionsServiceMock.factory(),
        metricsServiceMock.factory(),
        tracingServiceMock.factory(),
        rootHttpRouterServiceFactory({
          configure(context) {
            server = context.server;
            context.applyDefaults();
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { listen: { host: '127.0.0.1', port: 0 } },
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [
                { type: 'file', target: mockDir.resolve('catalog-info.yaml') },
              ],
            },
          },
        }),
      ],
    });
    backend.add(catalogPlugin);
    backend.add(catalogModuleAiCost);
    await backend.start();

    const { port } = server!.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/api/catalog`;
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  async function getEntity(): Promise<AlphaEntity | undefined> {
    const response = await fetch(
      `${baseUrl}/entities/by-name/component/default/support-assistant`,
    );
    return response.ok ? ((await response.json()) as AlphaEntity) : undefined;
  }

  it('reports a bad annotation on a stored entity', async () => {
    await waitFor(getEntity);
    mockDir.setContent({ 'catalog-info.yaml': catalogInfo('lots USD/month') });

    const entity = await waitFor(async () => {
      await fetch(`${baseUrl}/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ entityRef: ENTITY_REF }),
      });
      const current = await getEntity();
      return current?.status?.items?.length ? current : undefined;
    });

    expect(entity.status?.items).toEqual([
      expect.objectContaining({
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message: `InputError: ${BUDGET_ERROR}`,
      }),
    ]);
    // The catalog keeps serving the last version that processed cleanly.
    expect(entity.metadata.annotations?.['ai-cost.io/budget']).toBe(
      '2500 USD/month',
    );
  }, 60_000);

  it('rejects a new entity with a bad annotation', async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'support-assistant',
        annotations: { 'ai-cost.io/budget': 'lots USD/month' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'support-ai' },
    };

    // The endpoint accepts only url locations and does not read them for a
    // Component.
    const response = await fetch(`${baseUrl}/validate-entity`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entity,
        location: 'url:http://127.0.0.1/catalog-info.yaml',
      }),
    });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({ name: 'InputError', message: BUDGET_ERROR }),
    ]);
  });
});
