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
 * over real HTTP in the backend's own suite.
 */
export function renderWithEntity(
  element: ReactElement,
  options: { entity: Entity; getEntityCost: AiCostApi['getEntityCost'] },
) {
  const aiCostApi: AiCostApi = { getEntityCost: options.getEntityCost };

  return renderInTestApp(
    <TestApiProvider apis={[[aiCostApiRef, aiCostApi]]}>
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
