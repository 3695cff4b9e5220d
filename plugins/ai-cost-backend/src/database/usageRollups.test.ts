import { usageRecordRow } from '../__testUtils__/usageRows';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { DatabaseUsageStore } from './DatabaseUsageStore';
import { UsageRecordRow } from './tables';

jest.setTimeout(60_000);

const ENTITY = 'component:default/support-assistant';

function row(requestKey: string, fields: Partial<UsageRecordRow> = {}) {
  return usageRecordRow(requestKey, { entity_ref: ENTITY, ...fields });
}

/** Builds a request at an instant given as ISO 8601 UTC text. */
function rowAt(requestKey: string, instant: string, costPico: string) {
  const occurredAt = Date.parse(instant);
  return row(requestKey, {
    occurred_at: occurredAt,
    usage_date: instant.slice(0, 10),
    cost_pico: costPico,
  });
}

describe('hourly rollups', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseUsageStore.create({
      database: { getClient: async () => knex },
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('duplicates leave rollups unchanged', async () => {
      const { store } = await createStore(databaseId);
      const november = {
        entityRef: ENTITY,
        fromDate: '2026-11-01',
        toDate: '2026-11-30',
      };

      await store.insertUsage([row('a'), row('b', { cost_pico: '250' })]);
      const again = await store.insertUsage([
        row('a'),
        row('b', { cost_pico: '250' }),
        row('c', { cost_pico: null, unpriced_reason: 'no price' }),
        row('c', { cost_pico: null, unpriced_reason: 'no price' }),
      ]);

      expect(again.inserted).toBe(1);
      expect(again.duplicates).toBe(3);
      const [day] = await store.sumByDay(november);
      expect(day.requests).toBe(3);
      expect(day.costPico).toBe(1250n);
      expect(day.unpricedRequests).toBe(1);
      expect(day.inputTokens).toBe(3000);
    });

    it('concurrent writers count once', async () => {
      // Each insertUsage runs in its own transaction on its own pooled
      // connection, as two backend replicas sharing the database would.
      const { store } = await createStore(databaseId);
      const rows = Array.from({ length: 600 }, (_, index) =>
        row(`concurrent-${index}`, { cost_pico: String(index + 1) }),
      );
      const reversed = [...rows].reverse();

      const results = await Promise.all([
        store.insertUsage(rows),
        store.insertUsage(reversed),
        store.insertUsage(rows.slice(100, 400)),
      ]);

      const inserted = results.reduce(
        (sum, result) => sum + result.inserted,
        0,
      );
      expect(inserted).toBe(600);
      const [day] = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-11-02',
        toDate: '2026-11-02',
      });
      expect(day.requests).toBe(600);
      // 1 + 2 + … + 600
      expect(day.costPico).toBe(180_300n);
    });

    it('late records land in their day', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([rowAt('new', '2026-11-20T12:00:00Z', '5')]);
      await store.insertUsage([rowAt('late', '2026-11-03T23:59:59.999Z', '7')]);
      await store.insertUsage([rowAt('later', '2026-11-03T00:00:00Z', '11')]);

      const days = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-11-01',
        toDate: '2026-11-30',
      });

      expect(days.map(day => [day.date, day.costPico])).toEqual([
        ['2026-11-03', 18n],
        ['2026-11-20', 5n],
      ]);
    });

    it('local days follow the time zone', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([
        // 2026-11-02 20:30 in New York (UTC-5 after the DST change).
        rowAt('ny-evening', '2026-11-03T01:30:00Z', '1'),
        // 2026-11-03 00:00 in New York.
        rowAt('ny-midnight', '2026-11-03T05:00:00Z', '10'),
        // 2026-11-03 23:59 in New York.
        rowAt('ny-late', '2026-11-04T04:59:00Z', '100'),
        // 2026-11-01 01:30 in New York, in the repeated hour (UTC-4 then).
        rowAt('ny-dst', '2026-11-01T05:30:00Z', '1000'),
      ]);

      const newYork = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-10-31',
        toDate: '2026-11-04',
        timeZone: 'America/New_York',
      });
      const utc = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-10-31',
        toDate: '2026-11-04',
      });

      expect(newYork.map(day => [day.date, day.costPico])).toEqual([
        ['2026-11-01', 1000n],
        ['2026-11-02', 1n],
        ['2026-11-03', 110n],
      ]);
      expect(utc.map(day => [day.date, day.costPico])).toEqual([
        ['2026-11-01', 1000n],
        ['2026-11-03', 11n],
        ['2026-11-04', 100n],
      ]);
    });

    it('range ends follow the time zone', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([
        // 23:59 on 2026-11-09 in Tokyo (UTC+9): before the range.
        rowAt('before', '2026-11-09T14:59:00Z', '1'),
        // 00:00 and 23:59 on 2026-11-10 in Tokyo: inside.
        rowAt('first', '2026-11-09T15:00:00Z', '10'),
        rowAt('last', '2026-11-10T14:59:00Z', '100'),
        // 00:00 on 2026-11-11 in Tokyo: after the range.
        rowAt('after', '2026-11-10T15:00:00Z', '1000'),
      ]);

      const models = await store.sumByModel({
        entityRef: ENTITY,
        fromDate: '2026-11-10',
        toDate: '2026-11-10',
        timeZone: 'Asia/Tokyo',
      });

      expect(models).toHaveLength(1);
      expect(models[0].costPico).toBe(110n);
      expect(models[0].requests).toBe(2);
    });

    it('half-hour zones count by hour start', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([
        // 23:45 on 2026-11-02 in Kolkata (UTC+5:30), in the UTC hour that
        // starts at 23:30 local time.
        rowAt('before-midnight', '2026-11-02T18:15:00Z', '1'),
        // 00:15 on 2026-11-03 in Kolkata, in the same UTC hour, which
        // starts on 2026-11-02 local time, so it counts there.
        rowAt('after-midnight', '2026-11-02T18:45:00Z', '10'),
        // 00:30 on 2026-11-03 in Kolkata: the next UTC hour.
        rowAt('next-hour', '2026-11-02T19:00:00Z', '100'),
      ]);

      const days = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-11-02',
        toDate: '2026-11-03',
        timeZone: 'Asia/Kolkata',
      });

      expect(days.map(day => [day.date, day.costPico])).toEqual([
        ['2026-11-02', 11n],
        ['2026-11-03', 100n],
      ]);
    });

    it('invalid time zone is rejected', async () => {
      const { store } = await createStore(databaseId);
      await expect(
        store.sumByDay({
          entityRef: ENTITY,
          fromDate: '2026-11-01',
          toDate: '2026-11-02',
          timeZone: 'Mars/Olympus_Mons',
        }),
      ).rejects.toThrow(
        'Invalid time zone "Mars/Olympus_Mons"; use an IANA name such as Europe/Berlin or America/New_York',
      );
    });

    it('retention keeps rollup sums', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.insertUsage([
        rowAt('old', '2026-01-05T10:00:00Z', '3'),
        rowAt('new', '2026-11-05T10:00:00Z', '4'),
      ]);

      const deleted = await store.deleteRecordsBefore(
        Date.parse('2026-06-01T00:00:00Z'),
        10,
      );

      expect(deleted).toBe(1);
      const remaining = await knex('ai_cost_usage_records').pluck(
        'request_key',
      );
      expect(remaining).toEqual(['new']);
      const [model] = await store.sumByModel({
        entityRef: ENTITY,
        fromDate: '2026-01-01',
        toDate: '2026-12-31',
      });
      expect(model.requests).toBe(2);
      expect(model.costPico).toBe(7n);
    });

    it('repricing moves sums between buckets', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.insertUsage([
        row('priced', { cost_pico: '40' }),
        row('unpriced', {
          cost_pico: null,
          currency: null,
          unpriced_reason: 'no price for openai/gpt-4o',
        }),
      ]);
      const ids = await knex('ai_cost_usage_records')
        .orderBy('request_key')
        .pluck('id');

      await store.updatePricing([
        {
          id: Number(ids[1]),
          cost_pico: '60',
          currency: 'USD',
          list_cost_pico: '60',
          list_currency: 'USD',
          price_id: null,
          override_id: null,
          pricing_note: null,
          unpriced_reason: null,
          cost_mismatch: false,
        },
      ]);

      const pricing = await store.sumByPricing({
        entityRef: ENTITY,
        fromDate: '2026-11-02',
        toDate: '2026-11-02',
      });
      const [day] = await store.sumByDay({
        entityRef: ENTITY,
        fromDate: '2026-11-02',
        toDate: '2026-11-02',
      });
      expect(day.costPico).toBe(100n);
      expect(day.unpricedRequests).toBe(0);
      expect(pricing).toHaveLength(1);
      expect(pricing[0].unpricedReason).toBeNull();
      expect(pricing[0].requests).toBe(2);
      expect(await knex('ai_cost_usage_hourly').count({ n: '*' })).toEqual([
        { n: databaseId.startsWith('POSTGRES') ? '1' : 1 },
      ]);
    });

    it('allocation splits cost by entity', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([
        row('owned', { cost_pico: '300' }),
        row('stray', { entity_ref: null, cost_pico: '100' }),
        row('stray-unpriced', {
          entity_ref: null,
          cost_pico: null,
          currency: null,
          unpriced_reason: 'no price',
        }),
      ]);

      const sums = await store.sumAllocation('2026-11-01', '2026-11-30');

      expect(sums).toEqual([
        {
          currency: '',
          allocatedRequests: 0,
          unallocatedRequests: 1,
          allocatedCostPico: 0n,
          unallocatedCostPico: 0n,
        },
        {
          currency: 'USD',
          allocatedRequests: 1,
          unallocatedRequests: 1,
          allocatedCostPico: 300n,
          unallocatedCostPico: 100n,
        },
      ]);
    });

    it('monthly entity cost per currency', async () => {
      const { store } = await createStore(databaseId);
      await store.insertUsage([
        rowAt('oct', '2026-10-31T23:00:00Z', '1'),
        rowAt('nov-1', '2026-11-01T00:00:00Z', '10'),
        rowAt('nov-2', '2026-11-30T23:59:00Z', '100'),
        row('eur', { cost_pico: '5', currency: 'EUR' }),
        row('stray', { entity_ref: null, cost_pico: '3' }),
      ]);

      const months = await store.sumByEntityMonth('2026-11', '2026-11');
      const owned = await store.sumByEntityMonth('2026-11', '2026-11', ENTITY);

      expect(owned).toEqual(months.slice(1));
      expect(months).toEqual([
        {
          entityRef: null,
          month: '2026-11',
          currency: 'USD',
          requests: 1,
          costPico: 3n,
        },
        {
          entityRef: ENTITY,
          month: '2026-11',
          currency: 'EUR',
          requests: 1,
          costPico: 5n,
        },
        {
          entityRef: ENTITY,
          month: '2026-11',
          currency: 'USD',
          requests: 2,
          costPico: 110n,
        },
      ]);
    });
  });
  // Replicas share a PostgreSQL database; SQLite has one writer per file.
  const postgresIds = databases
    .eachSupportedId()
    .filter(([id]) => id.startsWith('POSTGRES'));

  it.each(postgresIds)('two replicas count once on %p', async databaseId => {
    const { knex, store } = await createStore(databaseId);
    // A second knex instance with its own pool is a second backend
    // process as far as PostgreSQL can tell.
    const replicaKnex = knexFactory({
      client: 'pg',
      connection: knex.client.config.connection,
    });
    const replica = await DatabaseUsageStore.create({
      database: { getClient: async () => replicaKnex },
      skipMigrations: true,
    });
    const rows = Array.from({ length: 2_000 }, (_, index) =>
      row(`replica-${index}`, { cost_pico: '3' }),
    );

    try {
      const results = await Promise.all([
        store.insertUsage(rows.slice(0, 1_500)),
        replica.insertUsage(rows.slice(500)),
        replica.insertUsage([...rows].reverse()),
      ]);

      const inserted = results.reduce(
        (sum, result) => sum + result.inserted,
        0,
      );
      const [model] = await replica.sumByModel({
        entityRef: ENTITY,
        fromDate: '2026-11-02',
        toDate: '2026-11-02',
      });
      expect(inserted).toBe(2_000);
      expect(model.requests).toBe(2_000);
      expect(model.costPico).toBe(6_000n);
    } finally {
      await replicaKnex.destroy();
    }
  });
});
