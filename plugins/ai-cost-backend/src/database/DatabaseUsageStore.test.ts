import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { UsageRecordRow } from './tables';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@ai-cost/plugin-ai-cost-backend',
  'migrations',
);

const ENTITY = 'component:default/support-assistant';
const OTHER_ENTITY = 'component:default/code-completion';

/** 2^53 + 1, the first integer that a double cannot hold. */
const ABOVE_DOUBLE = 2n ** 53n + 1n;

function usageRow(
  requestKey: string,
  fields: Partial<UsageRecordRow> = {},
): UsageRecordRow {
  return {
    request_key: requestKey,
    occurred_at: Date.parse('2026-11-02T10:00:00Z'),
    usage_date: '2026-11-02',
    entity_ref: ENTITY,
    service: null,
    provider: 'openai',
    model: 'gpt-4o',
    input_tokens: 1000,
    cached_input_tokens: 0,
    output_tokens: 100,
    cost_pico: '1000',
    currency: 'USD',
    price_id: null,
    unpriced_reason: null,
    task_id: null,
    task_outcome: null,
    ...fields,
  };
}

describe('DatabaseUsageStore', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    // A DatabaseService stub around the real test database.
    const store = await DatabaseUsageStore.create({
      database: { getClient: async () => knex },
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('migrations roll back and reapply', async () => {
      const { knex } = await createStore(databaseId);
      const created = [
        await knex.schema.hasTable('ai_cost_prices'),
        await knex.schema.hasTable('ai_cost_usage_records'),
      ];

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      const rolledBack = [
        await knex.schema.hasTable('ai_cost_prices'),
        await knex.schema.hasTable('ai_cost_usage_records'),
      ];

      await knex.migrate.latest({ directory: migrationsDir });
      const store = await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      const inserted = await store.insertUsage([usageRow('after-rollback')]);

      expect(created).toEqual([true, true]);
      expect(rolledBack).toEqual([false, false]);
      expect(inserted).toEqual({ inserted: 1, duplicates: 0 });
    });

    describe('upsertPrices', () => {
      const price = {
        provider: 'openai',
        model: 'gpt-4o',
        effectiveFrom: '2026-01-01',
        currency: 'USD',
        input: '2.50',
        cachedInput: '1.25',
        output: '10',
        source: 'openai.com/api/pricing',
      };

      it('stores price with normalised dates', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertPrices([
          { ...price, effectiveTo: '2026-08-21T00:00:00+02:00' },
        ]);
        const { rows } = await store.listPrices();

        expect(rows).toEqual([
          {
            id: expect.any(Number),
            provider: 'openai',
            model: 'gpt-4o',
            effective_from: '2026-01-01T00:00:00.000Z',
            effective_to: '2026-08-20T22:00:00.000Z',
            currency: 'USD',
            input_per_million: '2.50',
            cached_input_per_million: '1.25',
            output_per_million: '10',
            source: 'openai.com/api/pricing',
          },
        ]);
      });

      it('replaces price with same key', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertPrices([price]);
        await store.upsertPrices([
          { ...price, input: '2.00', cachedInput: undefined },
        ]);
        const { rows } = await store.listPrices();

        expect(rows.length).toBe(1);
        expect(rows[0].input_per_million).toBe('2.00');
        expect(rows[0].cached_input_per_million).toBeNull();
      });

      it('adds price with new effectiveFrom', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertPrices([price]);
        await store.upsertPrices([
          { ...price, effectiveFrom: '2026-08-21', input: '2.00' },
        ]);
        const { rows } = await store.listPrices();

        expect(rows.map(row => row.effective_from)).toEqual([
          '2026-01-01T00:00:00.000Z',
          '2026-08-21T00:00:00.000Z',
        ]);
      });

      it('parses price versions', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertPrices([price]);
        const { rows, versions } = await store.listPrices();

        expect(versions).toEqual([
          {
            id: rows[0].id,
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: Date.UTC(2026, 0, 1),
            effectiveTo: undefined,
            currency: 'USD',
            inputPicoPerToken: 2_500_000n,
            cachedInputPicoPerToken: 1_250_000n,
            outputPicoPerToken: 10_000_000n,
          },
        ]);
      });

      it('rejects invalid effectiveFrom', async () => {
        const { store } = await createStore(databaseId);

        await expect(
          store.upsertPrices([{ ...price, effectiveFrom: 'soon' }]),
        ).rejects.toThrow(
          'Invalid price effectiveFrom "soon"; use an ISO 8601 date such as 2026-01-31',
        );
      });
    });

    describe('insertUsage', () => {
      it('skips stored request keys', async () => {
        const { store } = await createStore(databaseId);
        const rows = [usageRow('a'), usageRow('b'), usageRow('c')];

        const first = await store.insertUsage(rows);
        const second = await store.insertUsage(rows);

        expect(first).toEqual({ inserted: 3, duplicates: 0 });
        expect(second).toEqual({ inserted: 0, duplicates: 3 });
      });

      it('counts new and stored keys', async () => {
        const { store } = await createStore(databaseId);

        await store.insertUsage([usageRow('a'), usageRow('b')]);
        const result = await store.insertUsage([usageRow('b'), usageRow('c')]);

        expect(result).toEqual({ inserted: 1, duplicates: 1 });
      });

      it('stores duplicates once', async () => {
        const { store } = await createStore(databaseId);

        await store.insertUsage([usageRow('a'), usageRow('b')]);
        await store.insertUsage([usageRow('a'), usageRow('b')]);
        const days = await store.sumByDay({
          entityRef: ENTITY,
          fromDate: '2026-11-01',
          toDate: '2026-11-30',
        });

        expect(days.map(day => day.requests)).toEqual([2]);
      });

      it('inserts more rows than one statement', async () => {
        const { store } = await createStore(databaseId);
        const rows = Array.from({ length: 1201 }, (_, i) => usageRow(`r${i}`));

        const first = await store.insertUsage(rows);
        const second = await store.insertUsage(rows);

        expect(first).toEqual({ inserted: 1201, duplicates: 0 });
        expect(second).toEqual({ inserted: 0, duplicates: 1201 });
      });

      it('accepts empty list', async () => {
        const { store } = await createStore(databaseId);

        expect(await store.insertUsage([])).toEqual({
          inserted: 0,
          duplicates: 0,
        });
      });
    });

    it('hasUsage reports stored usage', async () => {
      const { store } = await createStore(databaseId);

      const before = await store.hasUsage();
      await store.insertUsage([usageRow('a')]);

      expect(before).toBe(false);
      expect(await store.hasUsage()).toBe(true);
    });

    describe('sums', () => {
      let store: DatabaseUsageStore;

      beforeAll(async () => {
        ({ store } = await createStore(databaseId));
        await store.insertUsage([
          usageRow('d1-a', {
            usage_date: '2026-11-01',
            input_tokens: 1000,
            cached_input_tokens: 400,
            output_tokens: 100,
            cost_pico: ABOVE_DOUBLE.toString(),
          }),
          usageRow('d1-b', {
            usage_date: '2026-11-01',
            input_tokens: 2000,
            cached_input_tokens: 0,
            output_tokens: 300,
            cost_pico: ABOVE_DOUBLE.toString(),
          }),
          usageRow('d1-unpriced', {
            usage_date: '2026-11-01',
            model: 'o3-pro',
            input_tokens: 50,
            output_tokens: 5,
            cost_pico: null,
            currency: null,
            unpriced_reason: 'no price for model',
          }),
          usageRow('d3-a', {
            usage_date: '2026-11-03',
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            input_tokens: 7,
            output_tokens: 3,
            cost_pico: '20000000000',
          }),
          usageRow('other-entity', {
            entity_ref: OTHER_ENTITY,
            usage_date: '2026-11-01',
            cost_pico: '5',
          }),
          usageRow('unallocated', {
            entity_ref: null,
            usage_date: '2026-11-01',
            cost_pico: '7',
          }),
          usageRow('outside-range', {
            usage_date: '2026-12-01',
            cost_pico: '9',
          }),
        ]);
      });

      const november = {
        entityRef: ENTITY,
        fromDate: '2026-11-01',
        toDate: '2026-11-30',
      };

      it('sumByDay groups by day', async () => {
        const days = await store.sumByDay(november);

        expect(days).toEqual([
          {
            date: '2026-11-01',
            requests: 3,
            inputTokens: 1000 + 2000 + 50,
            cachedInputTokens: 400,
            outputTokens: 100 + 300 + 5,
            unpricedRequests: 1,
            costPico: ABOVE_DOUBLE + ABOVE_DOUBLE,
          },
          {
            date: '2026-11-03',
            requests: 1,
            inputTokens: 7,
            cachedInputTokens: 0,
            outputTokens: 3,
            unpricedRequests: 0,
            costPico: 20_000_000_000n,
          },
        ]);
      });

      it('sumByDay keeps digits above 2^53', async () => {
        const [firstDay] = await store.sumByDay(november);

        expect(firstDay.costPico.toString()).toBe('18014398509481986');
      });

      it('sumByModel groups by model', async () => {
        const models = await store.sumByModel(november);

        expect(models).toEqual([
          {
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            requests: 1,
            inputTokens: 7,
            cachedInputTokens: 0,
            outputTokens: 3,
            unpricedRequests: 0,
            costPico: 20_000_000_000n,
          },
          {
            provider: 'openai',
            model: 'gpt-4o',
            requests: 2,
            inputTokens: 3000,
            cachedInputTokens: 400,
            outputTokens: 400,
            unpricedRequests: 0,
            costPico: ABOVE_DOUBLE + ABOVE_DOUBLE,
          },
          {
            provider: 'openai',
            model: 'o3-pro',
            requests: 1,
            inputTokens: 50,
            cachedInputTokens: 0,
            outputTokens: 5,
            unpricedRequests: 1,
            costPico: 0n,
          },
        ]);
      });

      it('sums include range ends', async () => {
        const days = await store.sumByDay({
          entityRef: ENTITY,
          fromDate: '2026-11-03',
          toDate: '2026-12-01',
        });

        expect(days.map(day => day.date)).toEqual(['2026-11-03', '2026-12-01']);
      });

      it('sums of unknown entity are empty', async () => {
        const days = await store.sumByDay({
          ...november,
          entityRef: 'component:default/unknown',
        });

        expect(days).toEqual([]);
      });

      it('getUsageDateRange spans all usage', async () => {
        expect(await store.getUsageDateRange(ENTITY)).toEqual({
          first: '2026-11-01',
          last: '2026-12-01',
        });
      });

      it('getUsageDateRange of unknown entity', async () => {
        expect(
          await store.getUsageDateRange('component:default/unknown'),
        ).toBeUndefined();
      });
    });
  });
});
