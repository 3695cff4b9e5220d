import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';

/**
 * Options of {@link AiCostApi.getEntityCost}.
 *
 * @public
 */
export interface GetEntityCostOptions {
  /** Number of UTC days up to today to cover. The backend defaults to 90. */
  days?: number;
}

/**
 * Reads cost and usage figures from the AI cost backend.
 *
 * @public
 */
export interface AiCostApi {
  /**
   * Fetches the cost and usage of one catalog entity. Rejects with a
   * `ResponseError` when the backend returns an error status, such as 404
   * for an entity that is not in the catalog or 403 without permission.
   */
  getEntityCost(
    entityRef: string | CompoundEntityRef,
    options?: GetEntityCostOptions,
  ): Promise<EntityCostResponse>;
}

/**
 * Reference to the {@link AiCostApi}. An app can register its own
 * implementation under it.
 *
 * @public
 */
export const aiCostApiRef = createApiRef<AiCostApi>({
  id: 'plugin.ai-cost.service',
});
