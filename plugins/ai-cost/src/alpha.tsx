import { isAiCostEntity } from '@ai-cost/plugin-ai-cost-common';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  OverridableFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { AiCostClient, aiCostApiRef } from './api';

const aiCostApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiCostApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AiCostClient({ discoveryApi, fetchApi }),
    }),
});

const aiCostEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'ai-cost',
    title: 'AI Cost',
    filter: isAiCostEntity,
    loader: () =>
      import('./components/EntityAiCostContent').then(m => (
        <m.EntityAiCostContent />
      )),
  },
});

const aiCostEntityCard = EntityCardBlueprint.make({
  params: {
    type: 'info',
    filter: isAiCostEntity,
    loader: () =>
      import('./components/EntityAiCostCard').then(m => <m.EntityAiCostCard />),
  },
});

/**
 * The AI cost plugin for apps on the new frontend system: the API client,
 * the AI Cost entity tab and the entity card, both shown only for entities
 * with an `ai-cost.io/*` annotation.
 *
 * @alpha
 */
const aiCostPlugin: OverridableFrontendPlugin = createFrontendPlugin({
  pluginId: 'ai-cost',
  title: 'AI Cost',
  extensions: [aiCostApi, aiCostEntityContent, aiCostEntityCard],
});

export default aiCostPlugin;
