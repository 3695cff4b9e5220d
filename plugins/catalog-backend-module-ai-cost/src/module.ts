import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AiCostAnnotationProcessor } from './processor/AiCostAnnotationProcessor';

/**
 * Catalog module that validates the `ai-cost.io/*` annotations of catalog
 * entities.
 *
 * @public
 */
export const catalogModuleAiCost = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-cost',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new AiCostAnnotationProcessor());
      },
    });
  },
});
