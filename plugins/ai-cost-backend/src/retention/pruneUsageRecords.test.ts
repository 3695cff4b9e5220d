import { TestDatabases } from '@backstage/backend-test-utils';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { usageRecordRow } from '../__testUtils__/usageRows';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { pruneUsageRecords } from './pruneUsageRecords';

jest.setTimeout(60_000);

const ENTITY = 'component:default/support-assistant';

describe('pruneUsageRecords', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  it.each(databases.eachSupportedId())(
    'deletes old records in batches on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      const old = [
        '2026-01-05',
        '2026-01-06',
        '2026-02-01',
        '2026-03-01',
        '2026-03-02',
      ];
      await store.insertUsage([
        ...old.map((day, index) =>
          usageRecordRow(`old-${index}`, { usage_date: day, cost_pico: '10' }),
        ),
        usageRecordRow('new-1', { usage_date: '2026-11-01', cost_pico: '1' }),
        usageRecordRow('new-2', { usage_date: '2026-11-02', cost_pico: '1' }),
      ]);

      // 2026-12-04 minus 180 days is 2026-06-07.
      const deleted = await pruneUsageRecords({
        store,
        retentionDays: 180,
        now: Date.parse('2026-12-04T00:00:00Z'),
        batchSize: 2,
      });
      const remaining = await knex('ai_cost_usage_records')
        .orderBy('request_key')
        .pluck('request_key');
      const [model] = await store.sumByModel({
        entityRef: ENTITY,
        fromDate: '2026-01-01',
        toDate: '2026-12-31',
      });

      expect(deleted).toBe(5);
      expect(remaining).toEqual(['new-1', 'new-2']);
      expect(model.requests).toBe(7);
      expect(model.costPico).toBe(52n);
    },
  );
});
