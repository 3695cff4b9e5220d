import { usageRecordRow } from '../__testUtils__/usageRows';
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

const TABLES = [
  'ai_cost_prices',
  'ai_cost_price_overrides',
  'ai_cost_exchange_rates',
  'ai_cost_audit_log',
  'ai_cost_usage_records',
  'ai_cost_usage_hourly',
];

/** 2^53 + 1, the first integer that a double cannot hold. */
const ABOVE_DOUBLE = 2n ** 53n + 1n;

function usageRow(
  requestKey: string,
  fields: Partial<UsageRecordRow> = {},
): UsageRecordRow {
  return usageRecordRow(requestKey, { entity_ref: ENTITY, ...fields });
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
      const tablesExist = () =>
        Promise.all(TABLES.map(table => knex.schema.hasTable(table)));
      const created = await tablesExist();

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      const rolledBack = await tablesExist();

      await knex.migrate.latest({ directory: migrationsDir });
      const store = await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      const inserted = await store.insertUsage([usageRow('after-rollback')]);

      expect(created).toEqual(TABLES.map(() => true));
      expect(rolledBack).toEqual(TABLES.map(() => false));
      expect(inserted).toMatchObject({ inserted: 1, duplicates: 0 });
    });

    it('stores every column', async () => {
      const { knex, store } = await createStore(databaseId);
      const row = usageRow('all-columns', {
        service: 'support-assistant',
        service_tier: 'batch',
        input_tokens: 10_000,
        cached_input_tokens: 1_000,
        cache_write_tokens: 2_000,
        cache_write_1h_tokens: 3_000,
        input_audio_tokens: 400,
        input_image_tokens: 500,
        output_tokens: 900,
        reasoning_tokens: 600,
        output_audio_tokens: 70,
        output_image_tokens: 80,
        web_search_requests: 2,
        cost_pico: '11500000000',
        currency: 'EUR',
        list_cost_pico: '12500000000',
        list_currency: 'USD',
        override_id: 4,
        pricing_note: 'no batch price; standard price used',
        provider_cost: '0.0125',
        provider_cost_currency: 'USD',
        cost_mismatch: true,
        task_id: 'T-9',
        task_outcome: 'success',
      });

      await store.insertUsage([row]);
      const stored = await knex('ai_cost_usage_records')
        .where({ request_key: 'all-columns' })
        .first();

      // Drivers return bigint columns as strings (PostgreSQL) or numbers
      // (SQLite), and booleans as 1 (SQLite), so values are compared as text.
      const asText = (value: unknown) =>
        typeof value === 'boolean' ? String(Number(value)) : String(value);
      for (const [column, value] of Object.entries(row)) {
        expect([column, asText(stored[column])]).toEqual([
          column,
          asText(value),
        ]);
      }
    });

    describe('insertUsage', () => {
      it('skips stored request keys', async () => {
        const { store } = await createStore(databaseId);
        const rows = [usageRow('a'), usageRow('b'), usageRow('c')];

        const first = await store.insertUsage(rows);
        const second = await store.insertUsage(rows);

        expect(first).toMatchObject({ inserted: 3, duplicates: 0 });
        expect(second).toMatchObject({ inserted: 0, duplicates: 3 });
        expect(second.insertedKeys).toEqual(new Set());
      });

      it('counts new and stored keys', async () => {
        const { store } = await createStore(databaseId);

        await store.insertUsage([usageRow('a'), usageRow('b')]);
        const result = await store.insertUsage([usageRow('b'), usageRow('c')]);

        expect(result).toMatchObject({ inserted: 1, duplicates: 1 });
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

        expect(first).toMatchObject({ inserted: 1201, duplicates: 0 });
        expect(second).toMatchObject({ inserted: 0, duplicates: 1201 });
      });

      it('accepts empty list', async () => {
        const { store } = await createStore(databaseId);

        expect(await store.insertUsage([])).toEqual({
          inserted: 0,
          duplicates: 0,
          insertedKeys: new Set(),
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
