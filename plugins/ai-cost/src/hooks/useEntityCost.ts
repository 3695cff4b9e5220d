import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { useApi } from '@backstage/core-plugin-api';
import { aiCostApiRef } from '../api';
import { RequestState, useRequest } from './useRequest';

/** Days of history that the tab and the card request. */
export const DEFAULT_COST_DAYS = 90;

/** State of one cost request: loading, failed or loaded. */
export type EntityCostState = RequestState<EntityCostResponse>;

/**
 * Returns the IANA time zone of the browser, such as `Europe/Berlin`, or
 * undefined when the browser does not report one.
 */
export function getBrowserTimeZone(): string | undefined {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
}

/**
 * Fetches the cost of an entity, with days in the browser's time zone, and
 * refetches when the ref or the number of days changes.
 */
export function useEntityCost(
  entityRef: string,
  days: number = DEFAULT_COST_DAYS,
): EntityCostState {
  const aiCostApi = useApi(aiCostApiRef);
  const timeZone = getBrowserTimeZone();

  return useRequest(
    () => aiCostApi.getEntityCost(entityRef, { days, timeZone }),
    [aiCostApi, entityRef, days, timeZone],
  );
}
