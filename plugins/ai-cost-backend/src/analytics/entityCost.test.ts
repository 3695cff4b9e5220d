import { usageRecordRow } from '../__testUtils__/usageRows';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { UsageRecordRow } from '../database/tables';
import { getEntityCost, resolveRange } from './entityCost';

jest.setTimeout(60_000);

const ENTITY = 'component:default/support-assistant';

describe('resolveRange', () => {
  const today = '2026-11-18';

  // 2026-11-18 minus 89 days: 17 days back to Nov 1, 31 more to Oct 1,
  // 30 more to Sep 1, and 11 more to Aug 21, so the 90 days start on Aug 21.
  it('defaults to 90 days up to today', () => {
    expect(resolveRange({}, today, '2026-11-10')).toEqual({
      from: '2026-08-21',
      to: '2026-11-18',
    });
  });

  it('defaults to today without usage', () => {
    expect(resolveRange({}, today, undefined)).toEqual({
      from: '2026-08-21',
      to: '2026-11-18',
    });
  });

  it('keeps today for usage on first day', () => {
    expect(resolveRange({}, today, '2026-08-21')).toEqual({
      from: '2026-08-21',
      to: '2026-11-18',
    });
  });

  // 2026-08-20 minus 89 days: 19 days back to Aug 1, 31 more to Jul 1,
  // 30 more to Jun 1, and 9 more to May 23.
  it('moves back to last usage', () => {
    expect(resolveRange({}, today, '2026-08-20')).toEqual({
      from: '2026-05-23',
      to: '2026-08-20',
    });
  });

  // 2023-11-16 minus 89 days: 15 back to Nov 1, 31 to Oct 1, 30 to Sep 1,
  // and 13 more to Aug 19.
  it('moves back to old trace', () => {
    expect(resolveRange({}, today, '2023-11-16')).toEqual({
      from: '2023-08-19',
      to: '2023-11-16',
    });
  });

  it('uses explicit from and to', () => {
    expect(
      resolveRange(
        { from: '2025-01-01', to: '2025-01-31' },
        today,
        '2023-11-16',
      ),
    ).toEqual({ from: '2025-01-01', to: '2025-01-31' });
  });

  it('ends explicit from at today', () => {
    expect(resolveRange({ from: '2026-11-01' }, today, '2023-11-16')).toEqual({
      from: '2026-11-01',
      to: '2026-11-18',
    });
  });

  it('starts explicit to days before', () => {
    expect(
      resolveRange({ to: '2026-03-31', days: 31 }, today, undefined),
    ).toEqual({ from: '2026-03-01', to: '2026-03-31' });
  });

  it('counts days across leap day', () => {
    expect(resolveRange({ days: 3 }, '2024-03-01', undefined)).toEqual({
      from: '2024-02-28',
      to: '2024-03-01',
    });
  });
});

describe('getEntityCost', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  function row(
    requestKey: string,
    usageDate: string,
    fields: Partial<UsageRecordRow> = {},
  ): UsageRecordRow {
    return usageRecordRow(requestKey, {
      occurred_at: Date.parse(`${usageDate}T09:00:00Z`),
      usage_date: usageDate,
      entity_ref: ENTITY,
      cost_pico: '0',
      list_cost_pico: null,
      list_currency: null,
      ...fields,
    });
  }

  // Pico-unit costs: 0.75, 1.25, 0.02 and 0.000001 of a dollar.
  const rows = [
    row('oct-31', '2026-10-31', { cost_pico: '750000000000' }),
    row('nov-01', '2026-11-01', {
      cost_pico: '1250000000000',
      input_tokens: 2000,
      cached_input_tokens: 500,
    }),
    row('nov-18-a', '2026-11-18', {
      model: 'gpt-4o-mini',
      cost_pico: '20000000000',
      output_tokens: 40,
    }),
    row('nov-18-b', '2026-11-18', {
      model: 'o3-pro',
      cost_pico: null,
      currency: null,
      unpriced_reason: 'no price for model',
    }),
    row('nov-18-c', '2026-11-18', { cost_pico: '1000000' }),
  ];

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let store: DatabaseUsageStore;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      store = await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      await store.insertUsage(rows);
    });

    async function costAt(now: string) {
      return getEntityCost({
        store,
        entityRef: ENTITY,
        currency: 'USD',
        range: {},
        now: new Date(now),
      });
    }

    it('sums month to date', async () => {
      const cost = await costAt('2026-11-18T10:00:00Z');

      expect(cost.monthToDate).toEqual({
        from: '2026-11-01',
        to: '2026-11-18',
        requests: 4,
        inputTokens: 2000 + 1000 + 1000 + 1000,
        cachedInputTokens: 500,
        outputTokens: 100 + 40 + 100 + 100,
        unpricedRequests: 1,
        // 1.25 + 0.02 + 0.000001
        cost: '1.270001',
      });
    });

    it('sums range totals', async () => {
      const cost = await costAt('2026-11-18T10:00:00Z');

      expect(cost.totals).toEqual({
        requests: 5,
        inputTokens: 6000,
        cachedInputTokens: 500,
        outputTokens: 440,
        unpricedRequests: 1,
        // 0.75 + 1.25 + 0.02 + 0.000001
        cost: '2.020001',
        // The tokens of the o3-pro request.
        unpricedInputTokens: 1000,
        unpricedOutputTokens: 100,
      });
    });

    it('lists daily costs', async () => {
      const cost = await costAt('2026-11-18T10:00:00Z');

      expect(cost.daily.map(day => [day.date, day.cost])).toEqual([
        ['2026-10-31', '0.75'],
        ['2026-11-01', '1.25'],
        ['2026-11-18', '0.020001'],
      ]);
    });

    it('lists costs per model', async () => {
      const cost = await costAt('2026-11-18T10:00:00Z');

      expect(
        cost.byModel.map(model => [model.model, model.requests, model.cost]),
      ).toEqual([
        ['gpt-4o', 3, '2.000001'],
        ['gpt-4o-mini', 1, '0.02'],
        ['o3-pro', 1, '0'],
      ]);
    });

    it('reports usage date range', async () => {
      const cost = await costAt('2026-11-18T10:00:00Z');

      expect(cost.firstUsageDate).toBe('2026-10-31');
      expect(cost.lastUsageDate).toBe('2026-11-18');
      expect(cost.from).toBe('2026-08-21');
      expect(cost.to).toBe('2026-11-18');
    });

    it('starts month on first day', async () => {
      const cost = await costAt('2026-11-01T00:00:00Z');

      expect(cost.monthToDate.from).toBe('2026-11-01');
      expect(cost.monthToDate.to).toBe('2026-11-01');
      expect(cost.monthToDate.cost).toBe('1.25');
    });

    it('has zero month without usage', async () => {
      const cost = await costAt('2027-02-10T12:00:00Z');

      expect(cost.monthToDate).toEqual({
        from: '2027-02-01',
        to: '2027-02-10',
        requests: 0,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        unpricedRequests: 0,
        cost: '0',
      });
    });

    it('keeps old usage in moved range', async () => {
      const cost = await costAt('2027-06-01T12:00:00Z');

      expect(cost.to).toBe('2026-11-18');
      expect(cost.totals.cost).toBe('2.020001');
    });

    it('applies explicit range', async () => {
      const cost = await getEntityCost({
        store,
        entityRef: ENTITY,
        currency: 'USD',
        range: { from: '2026-11-01', to: '2026-11-17' },
        now: new Date('2026-11-18T10:00:00Z'),
      });

      expect(cost.totals.requests).toBe(1);
      expect(cost.totals.cost).toBe('1.25');
    });

    it('returns zero for unused entity', async () => {
      const cost = await getEntityCost({
        store,
        entityRef: 'component:default/unused',
        currency: 'USD',
        range: {},
        now: new Date('2026-11-18T10:00:00Z'),
      });

      expect(cost.firstUsageDate).toBeNull();
      expect(cost.lastUsageDate).toBeNull();
      expect(cost.daily).toEqual([]);
      expect(cost.byModel).toEqual([]);
      expect(cost.totals.cost).toBe('0');
    });
  });
});
