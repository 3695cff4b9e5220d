import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { aiCostApiRef } from '../api';

/** Days of history that the tab and the card request. */
export const DEFAULT_COST_DAYS = 90;

/** State of one cost request: loading, failed or loaded. */
export type EntityCostState =
  | { loading: true; error?: undefined; value?: undefined }
  | { loading: false; error: Error; value?: undefined }
  | { loading: false; error?: undefined; value: EntityCostResponse };

/**
 * Fetches the cost of an entity and refetches when the ref or the number of
 * days changes. A response that arrives after the inputs changed is dropped.
 */
export function useEntityCost(
  entityRef: string,
  days: number = DEFAULT_COST_DAYS,
): EntityCostState {
  const aiCostApi = useApi(aiCostApiRef);
  const [state, setState] = useState<EntityCostState>({ loading: true });

  useEffect(() => {
    let current = true;
    setState({ loading: true });

    aiCostApi.getEntityCost(entityRef, { days }).then(
      value => {
        if (current) {
          setState({ loading: false, value });
        }
      },
      error => {
        if (current) {
          setState({ loading: false, error: toError(error) });
        }
      },
    );

    return () => {
      current = false;
    };
  }, [aiCostApi, entityRef, days]);

  return state;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
