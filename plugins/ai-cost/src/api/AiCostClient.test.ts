import {
  AllocationResponse,
  EntityCostResponse,
  EntityReconciliationResponse,
} from '@ai-cost/plugin-ai-cost-common';
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

const allocationBody: AllocationResponse = {
  from: '2025-11',
  to: '2026-01',
  allocatedRequests: 10,
  unallocatedRequests: 2,
  currencies: [
    {
      currency: 'USD',
      allocatedUsageCost: '12.000000000001',
      unallocatedUsageCost: '3',
      mappedBilledCost: '0',
      unmappedBilledCost: '0',
      usageCoveragePercent: '80.00',
      billingCoveragePercent: null,
      coveragePercent: '80.00',
    },
  ],
};

const reconciliationBody: EntityReconciliationResponse = {
  entityRef: 'component:default/support-assistant',
  from: '2025-11',
  to: '2026-01',
  months: [],
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

  it('sends the time zone of the days', async () => {
    const { client, fetch } = createClient(jsonResponse(200, body));

    await client.getEntityCost('component:default/support-assistant', {
      days: 30,
      timeZone: 'America/Argentina/Buenos_Aires',
    });

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/support-assistant/cost?days=30&timeZone=America%2FArgentina%2FBuenos_Aires`,
    );
  });
});

describe('AiCostClient.getAllocation', () => {
  it('requests the month range', async () => {
    const { client, fetch } = createClient(jsonResponse(200, allocationBody));

    await client.getAllocation({ from: '2025-11', to: '2026-01' });

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/allocation?from=2025-11&to=2026-01`,
    );
  });

  it('omits the query without options', async () => {
    const { client, fetch } = createClient(jsonResponse(200, allocationBody));

    await client.getAllocation();

    expect(fetch).toHaveBeenCalledWith(`${BASE_URL}/allocation`);
  });

  it('returns the decimal strings unchanged', async () => {
    const { client } = createClient(jsonResponse(200, allocationBody));

    const result = await client.getAllocation();

    expect(result.currencies[0].allocatedUsageCost).toBe('12.000000000001');
  });

  it('turns a 403 into a ResponseError', async () => {
    const { client } = createClient(
      jsonResponse(403, {
        error: {
          name: 'NotAllowedError',
          message:
            'Not allowed to read the cost allocation of all entities; this needs the permission ai-cost.portfolio.read',
        },
      }),
    );

    await expect(client.getAllocation()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});

describe('AiCostClient.getEntityReconciliation', () => {
  it('requests the reconciliation route of the entity', async () => {
    const { client, fetch } = createClient(
      jsonResponse(200, reconciliationBody),
    );

    await client.getEntityReconciliation(
      'component:default/support-assistant',
      { from: '2025-11', to: '2026-01' },
    );

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/support-assistant/reconciliation?from=2025-11&to=2026-01`,
    );
  });

  it('encodes path segments', async () => {
    const { client, fetch } = createClient(
      jsonResponse(200, reconciliationBody),
    );

    await client.getEntityReconciliation('component:team a/x#1');

    expect(fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/team%20a/x%231/reconciliation`,
    );
  });

  it('turns a 404 into a ResponseError', async () => {
    const { client } = createClient(
      jsonResponse(404, {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/x in the catalog',
        },
      }),
    );

    await expect(
      client.getEntityReconciliation('component:default/x'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
  });
});
