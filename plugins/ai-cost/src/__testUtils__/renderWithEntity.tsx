import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactElement } from 'react';
import { AiCostApi, aiCostApiRef } from '../api';

/**
 * Renders an element in a test app with an entity and a stub of
 * {@link AiCostApi}. The stub replaces the backend, whose REST API is tested
 * over real HTTP in the backend's own suite. Without `getAllocation` and
 * `getEntityReconciliation` the stub returns responses without cost or
 * billing.
 */
export function renderWithEntity(
  element: ReactElement,
  options: {
    entity: Entity;
    getEntityCost: AiCostApi['getEntityCost'];
    getAllocation?: AiCostApi['getAllocation'];
    getEntityReconciliation?: AiCostApi['getEntityReconciliation'];
  },
) {
  const aiCostApi: AiCostApi = {
    getEntityCost: options.getEntityCost,
    getAllocation:
      options.getAllocation ??
      (async () => ({
        from: '2025-10',
        to: '2026-01',
        allocatedRequests: 0,
        unallocatedRequests: 0,
        currencies: [],
      })),
    getEntityReconciliation:
      options.getEntityReconciliation ??
      (async entityRef => ({
        entityRef: String(entityRef),
        from: '2025-10',
        to: '2026-01',
        months: [],
      })),
  };

  return renderInTestApp(
    <TestApiProvider apis={[[aiCostApiRef, aiCostApi]]}>
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
