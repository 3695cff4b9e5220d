import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  SUPPORT,
  USAGE,
  createPricingContext,
  currentPriceId,
  storeListPricedUsage,
} from '../__testUtils__/pricingFixtures';
import { EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { UsageRecord } from '../ingest/types';
import { parsePriceInput } from '../pricing/priceSheet';
import { getEntityCost } from './entityCost';

jest.setTimeout(60_000);

function mistral(requestId: string, timestamp: string): UsageRecord {
  return {
    requestId,
    timestamp: Date.parse(timestamp),
    entityRef: SUPPORT,
    attributes: {},
    provider: 'mistral',
    model: 'mistral-large',
    inputTokens: 2_000,
    cachedInputTokens: 0,
    outputTokens: 300,
  };
}

describe('getEntityCost pricing details', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let cost: EntityCostResponse;
    let listId: number;
    let correctedId: number;

    /**
     * The support assistant's usage of the fixtures (r1 to r5), then:
     * - a gpt-4o correction with a source, and one more gpt-4o request;
     * - a euro price for mistral-large from 2025-01-01 without exchange
     *   rates: one request before that day has no price, two after it
     *   have no rate.
     */
    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const context = await createPricingContext(knex);
      await storeListPricedUsage(context);
      listId = await currentPriceId(context.priceStore, 'gpt-4o');

      await context.pricing.syncPrices(
        [
          {
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: '2024-05-13',
            currency: 'USD',
            input: '2.00',
            output: '8',
            source: 'vendor page, 2026-11-12',
          },
          {
            provider: 'mistral',
            model: 'mistral-large',
            effectiveFrom: '2025-01-01',
            currency: 'EUR',
            input: '2',
            output: '6',
          },
        ].map(price => parsePriceInput(price)),
        'api',
        'user:default/admin',
      );
      correctedId = await currentPriceId(context.priceStore, 'gpt-4o');
      await context.ingestor.ingest({
        records: [
          { ...USAGE[0], requestId: 'r7', timestamp: Date.parse('2026-11-13') },
          mistral('m1', '2024-12-01T10:00:00Z'),
          mistral('m2', '2026-11-12T10:00:00Z'),
          mistral('m3', '2026-11-12T11:00:00Z'),
        ],
        errors: [],
      });

      cost = await getEntityCost({
        store: context.usageStore,
        entityRef: SUPPORT,
        currency: 'USD',
        range: { from: '2024-12-01', to: '2026-11-30' },
        now: new Date('2026-11-30T12:00:00Z'),
      });
    });

    function model(name: string) {
      return cost.byModel.find(item => item.model === name)!;
    }

    it('counts unpriced tokens per model', () => {
      // m1 to m3: 3 × 2,000 input and 3 × 300 output tokens.
      expect(model('mistral-large')).toMatchObject({
        requests: 3,
        unpricedRequests: 3,
        unpricedInputTokens: 6_000,
        unpricedOutputTokens: 900,
      });
    });

    it('counts unpriced tokens of o3-pro', () => {
      expect(model('o3-pro')).toMatchObject({
        unpricedInputTokens: 10,
        unpricedOutputTokens: 10,
      });
    });

    it('lists unpriced reasons by requests', () => {
      expect(model('mistral-large').unpricedReasons).toEqual([
        {
          reason: 'no exchange rate from EUR to USD on 2026-11-12',
          requests: 2,
        },
        { reason: 'no price for model', requests: 1 },
      ]);
    });

    it('lists no price version without priced requests', () => {
      expect(model('mistral-large').priceVersions).toEqual([]);
    });

    it('lists price versions by requests', () => {
      // r1, r2 and r4 with the list price; r7 with the correction.
      expect(model('gpt-4o').priceVersions).toEqual([
        {
          id: listId,
          effectiveFrom: '2024-05-13T00:00:00.000Z',
          source: null,
          sourceKind: 'api',
          requests: 3,
        },
        {
          id: correctedId,
          effectiveFrom: '2024-05-13T00:00:00.000Z',
          source: 'vendor page, 2026-11-12',
          sourceKind: 'api',
          requests: 1,
        },
      ]);
    });

    it('reports no unpriced volume of priced model', () => {
      expect(model('gpt-4o')).toMatchObject({
        unpricedRequests: 0,
        unpricedInputTokens: 0,
        unpricedOutputTokens: 0,
        unpricedReasons: [],
      });
    });

    it('adds unpriced tokens to totals', () => {
      // o3-pro: 10 and 10; mistral-large: 6,000 and 900.
      expect(cost.totals).toMatchObject({
        unpricedRequests: 4,
        unpricedInputTokens: 6_010,
        unpricedOutputTokens: 910,
      });
    });
  });
});
