import {
  AllocationResponse,
  EntityReconciliationResponse,
} from '@ai-cost/plugin-ai-cost-common';
import { useApi } from '@backstage/core-plugin-api';
import { aiCostApiRef } from '../api';
import { RequestState, useRequest } from './useRequest';

/** Fetches the allocation coverage of all entities over UTC months. */
export function useAllocation(
  from: string,
  to: string,
): RequestState<AllocationResponse> {
  const aiCostApi = useApi(aiCostApiRef);

  return useRequest(
    () => aiCostApi.getAllocation({ from, to }),
    [aiCostApi, from, to],
  );
}

/** Fetches the estimated and billed cost of an entity over UTC months. */
export function useEntityReconciliation(
  entityRef: string,
  from: string,
  to: string,
): RequestState<EntityReconciliationResponse> {
  const aiCostApi = useApi(aiCostApiRef);

  return useRequest(
    () => aiCostApi.getEntityReconciliation(entityRef, { from, to }),
    [aiCostApi, entityRef, from, to],
  );
}
