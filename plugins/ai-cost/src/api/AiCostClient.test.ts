import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { ResponseError } from '@backstage/errors';
import { AiCostClient } from './AiCostClient';

const BASE_URL = 'http://localhost:7007/api/ai-cost';

const body: EntityCostResponse = {
  entityRef: 'component:default/support-assistant',
  currency: 'USD',
  timeZone: 'UTC',
  from: '2026-01-01',
  to: '2026-01-31',
  firstUsageDate: '2026-01-31',
  lastUsageDate: '2026-01-31',
  totals: {
    requests: 1,
    inputTokens: 10,
    cachedInputTokens: 0,
    outputTokens: 5,
    unpricedRequests: 0,
    unpricedInputTokens: 0,
    unpricedOutputTokens: 0,
    cost: '0.000125',
  },
  monthToDate: {
    from: '2026-01-01',
    to: '2026-01-31',
    requests: 1,
    inputTokens: 10,
    cachedInputTokens: 0,
    outputTokens: 5,
    unpricedRequests: 0,
    cost: '0.000125',
  },
  daily: [],
  byModel: [],
};

function createClient(response: Response) {
  const fetch = jest.fn(async (_input: RequestInfo | URL) => response);
  const client = new AiCostClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

function jsonResponse(status: number, json: unknown): Response {
  return new Response(JSON.stringify(json), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('AiCostClient', () => {
  it('requests the cost route of the entity', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityCost('component:default/support-assistant', {
      days: 90,
    });

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/support-assistant/cost?days=90`,
    );
  });

  it('omits the query without options', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityCost({
      kind: 'Component',
      namespace: 'default',
      name: 'support-assistant',
    });

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/Component/default/support-assistant/cost`,
    );
  });

  it('encodes path segments', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityCost('component:team a/x#1');

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/team%20a/x%231/cost`,
    );
  });

  it('returns the decimal strings unchanged', async () => {
    const { client } = createClient(jsonResponse(200, body));

    const result = await client.getEntityCost('component:default/x');

    expect(result.totals.cost).toBe('0.000125');
  });

  it('turns a 404 into a ResponseError with the message', async () => {
    const { client } = createClient(
      jsonResponse(404, {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/x in the catalog',
        },
        request: { method: 'GET', url: '/entities/component/default/x/cost' },
        response: { statusCode: 404 },
      }),
    );

    const result = client.getEntityCost('component:default/x');

    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({
      statusCode: 404,
      body: {
        error: { message: 'No entity component:default/x in the catalog' },
      },
    });
  });

  it('turns a 403 into a ResponseError', async () => {
    const { client } = createClient(
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'Not allowed' },
      }),
    );

    await expect(
      client.getEntityCost('component:default/x'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});
