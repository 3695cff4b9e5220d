import {
  AllocationResponse,
  EntityCostResponse,
  EntityReconciliationResponse,
} from '@ai-cost/plugin-ai-cost-common';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';

/**
 * Options of {@link AiCostApi.getEntityCost}.
 *
 * @public
 */
export interface GetEntityCostOptions {
  /** Number of days up to today to cover. The backend defaults to 90. */
  days?: number;
  /**
   * IANA time zone, such as `Europe/Berlin`, whose local days the response
   * uses. The backend defaults to UTC.
   */
  timeZone?: string;
}

/**
 * Range of UTC months, `YYYY-MM`, both inclusive. Without `to` the range
 * ends with the current month; without `from` it spans three months.
 *
 * @public
 */
export interface MonthRangeOptions {
  from?: string;
  to?: string;
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

  /**
   * Fetches the allocation coverage of all entities per currency: the AI
   * cost that catalog entities own and the cost that none owns. Rejects
   * with a `ResponseError` of status 403 without the permission
   * `ai-cost.portfolio.read`.
   */
  getAllocation(options?: MonthRangeOptions): Promise<AllocationResponse>;

  /**
   * Fetches the estimated and the FOCUS billed cost of one entity per month
   * and currency. Rejects with a `ResponseError` when the backend returns
   * an error status, as {@link AiCostApi.getEntityCost} does.
   */
  getEntityReconciliation(
    entityRef: string | CompoundEntityRef,
    options?: MonthRangeOptions,
  ): Promise<EntityReconciliationResponse>;
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
