import { isAiCostEntity } from '@ai-cost/plugin-ai-cost-common';
import { Entity } from '@backstage/catalog-model';
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { AiCostClient, aiCostApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The AI cost plugin for apps on the legacy frontend system. Apps on the
 * new frontend system use the default export of `/alpha`.
 *
 * @public
 */
export const aiCostPlugin = createPlugin({
  id: 'ai-cost',
  apis: [
    createApiFactory({
      api: aiCostApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AiCostClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The AI cost tab of an entity page, for an `EntityLayout.Route`.
 *
 * @public
 */
export const EntityAiCostContent = aiCostPlugin.provide(
  createRoutableExtension({
    name: 'EntityAiCostContent',
    component: () =>
      import('./components/EntityAiCostContent').then(
        m => m.EntityAiCostContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A card with the phase and month-to-date AI cost of an entity.
 *
 * @public
 */
export const EntityAiCostCard = aiCostPlugin.provide(
  createComponentExtension({
    name: 'EntityAiCostCard',
    component: {
      lazy: () =>
        import('./components/EntityAiCostCard').then(m => m.EntityAiCostCard),
    },
  }),
);

/**
 * Tells whether the AI cost tab and card apply to an entity, that is
 * whether it carries any `ai-cost.io/*` annotation. Fits the `if` prop of
 * `EntitySwitch.Case` and `EntityLayout.Route`.
 *
 * @public
 */
export function isAiCostAvailable(entity: Entity): boolean {
  return isAiCostEntity(entity);
}
