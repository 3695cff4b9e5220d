import {
  AllocationResponse,
  EntityCostResponse,
  EntityReconciliationResponse,
} from '@ai-cost/plugin-ai-cost-common';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AiCostApi,
  GetEntityCostOptions,
  MonthRangeOptions,
} from './AiCostApi';

/**
 * {@link AiCostApi} over the REST API of the `ai-cost` backend plugin.
 *
 * @public
 */
export class AiCostClient implements AiCostApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityCost(
    entityRef: string | CompoundEntityRef,
    options?: GetEntityCostOptions,
  ): Promise<EntityCostResponse> {
    const query = new URLSearchParams();
    if (options?.days !== undefined) {
      query.set('days', String(options.days));
    }
    if (options?.timeZone !== undefined) {
      query.set('timeZone', options.timeZone);
    }

    return this.get(`${toEntityPath(entityRef)}/cost`, query);
  }

  async getAllocation(
    options?: MonthRangeOptions,
  ): Promise<AllocationResponse> {
    return this.get('/allocation', toMonthQuery(options));
  }

  async getEntityReconciliation(
    entityRef: string | CompoundEntityRef,
    options?: MonthRangeOptions,
  ): Promise<EntityReconciliationResponse> {
    return this.get(
      `${toEntityPath(entityRef)}/reconciliation`,
      toMonthQuery(options),
    );
  }

  /** Sends a GET request to a path of the backend and parses the JSON body. */
  private async get<T>(path: string, query: URLSearchParams): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ai-cost');
    const search = query.toString() ? `?${query}` : '';
    const response = await this.fetchApi.fetch(`${baseUrl}${path}${search}`);

    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** Returns `/entities/:kind/:namespace/:name` with encoded segments. */
function toEntityPath(entityRef: string | CompoundEntityRef): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const path = [kind, namespace, name].map(encodeURIComponent).join('/');
  return `/entities/${path}`;
}

function toMonthQuery(options?: MonthRangeOptions): URLSearchParams {
  const query = new URLSearchParams();
  if (options?.from !== undefined) {
    query.set('from', options.from);
  }
  if (options?.to !== undefined) {
    query.set('to', options.to);
  }
  return query;
}
