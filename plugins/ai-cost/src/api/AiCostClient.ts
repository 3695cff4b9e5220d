import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { AiCostApi, GetEntityCostOptions } from './AiCostApi';

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
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [kind, namespace, name].map(encodeURIComponent).join('/');
    const query = new URLSearchParams();
    if (options?.days !== undefined) {
      query.set('days', String(options.days));
    }

    const baseUrl = await this.discoveryApi.getBaseUrl('ai-cost');
    const search = query.toString() ? `?${query}` : '';
    const response = await this.fetchApi.fetch(
      `${baseUrl}/entities/${path}/cost${search}`,
    );

    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as EntityCostResponse;
  }
}
