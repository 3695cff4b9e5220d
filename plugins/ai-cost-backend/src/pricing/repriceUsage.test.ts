import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  CORRECTED_PRICES,
  LIST_COSTS,
  SUPPORT,
  createPricingContext,
  currentPriceId,
  readStoredPricing,
  storeListPricedUsage,
} from '../__testUtils__/pricingFixtures';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { UsageStore } from '../database/UsageStore';
import { parsePriceInput } from './priceSheet';
import { repriceUsage } from './repriceUsage';

jest.setTimeout(60_000);

const NOVEMBER = { fromDate: '2026-11-10', toDate: '2026-11-15' };

describe('repriceUsage', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let context: Awaited<ReturnType<typeof createPricingContext>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      context = await createPricingContext(knex);
      await storeListPricedUsage(context);
    });

    async function correctPrices() {
      await context.pricing.syncPrices(
        CORRECTED_PRICES.map(price => parsePriceInput(price)),
        'api',
        'user:default/admin',
      );
    }

    // Two records per batch, so the four records in range take three reads.
    async function reprice(
      options: { dryRun?: boolean; usageStore?: UsageStore } = {},
    ) {
      return repriceUsage({
        usageStore: options.usageStore ?? context.usageStore,
        priceStore: context.priceStore,
        priceBook: await context.pricing.getPriceBook(),
        filter: { ...NOVEMBER, entityRef: SUPPORT },
        dryRun: options.dryRun ?? false,
        actor: 'user:default/admin',
        batchSize: 2,
      });
    }

    async function repriceAudits() {
      const entries = await context.priceStore.listAudit();
      return entries.filter(entry => entry.action === 'usage.reprice');
    }

    it('changes nothing with unchanged prices', async () => {
      const result = await reprice();

      expect(result.records).toBe(4);
      expect(result.changed).toBe(0);
      expect(result.unchangedCount).toBe(4);
      expect(result.difference).toBe('0');
      expect(result.byPriceVersion).toEqual([]);
    });

    it('keeps stored costs after a correction', async () => {
      await correctPrices();

      const stored = await readStoredPricing(knex);

      expect(
        Object.fromEntries(
          Object.entries(stored).map(([key, value]) => [key, value.cost]),
        ),
      ).toEqual(LIST_COSTS);
    });

    it('sums costs before and after', async () => {
      await correctPrices();

      const result = await reprice();

      expect(result).toMatchObject({
        records: 4,
        changed: 3,
        unchangedCount: 1,
        currency: 'USD',
        // r1 + r2 + r3 = 0.02 + 3.5 + 0.001605
        costBefore: '3.521605',
        // 0.016 + 2.8 + 0.001605 + 0.001 (r5, priced now)
        costAfter: '2.818605',
        difference: '-0.703',
        unpricedBefore: 1,
        unpricedAfter: 0,
      });
    });

    it('groups changes by price version', async () => {
      const listId = await currentPriceId(context.priceStore, 'gpt-4o');
      await correctPrices();
      const correctedId = await currentPriceId(context.priceStore, 'gpt-4o');
      const o3ProId = await currentPriceId(context.priceStore, 'o3-pro');

      const result = await reprice();

      expect(result.byPriceVersion).toEqual([
        { fromPriceId: null, toPriceId: o3ProId, records: 1 },
        { fromPriceId: listId, toPriceId: correctedId, records: 2 },
      ]);
    });

    it('stores new costs in range only', async () => {
      const miniId = await currentPriceId(context.priceStore, 'gpt-4o-mini');
      await correctPrices();
      const correctedId = await currentPriceId(context.priceStore, 'gpt-4o');
      const o3ProId = await currentPriceId(context.priceStore, 'o3-pro');

      await reprice();
      const stored = await readStoredPricing(knex);

      expect(stored.r1).toEqual({ cost: '16000000000', priceId: correctedId });
      expect(stored.r2).toEqual({
        cost: '2800000000000',
        priceId: correctedId,
      });
      expect(stored.r3).toEqual({ cost: '1605000000', priceId: miniId });
      expect(stored.r5).toEqual({ cost: '1000000000', priceId: o3ProId });
      // r4 is after the range and r6 belongs to another entity.
      expect(stored.r4.cost).toBe(LIST_COSTS.r4);
      expect(stored.r6.cost).toBe(LIST_COSTS.r6);
    });

    it('clears the unpriced reason', async () => {
      await correctPrices();

      await reprice();
      const row = await knex('ai_cost_usage_records')
        .where({ request_key: 'r5' })
        .first('unpriced_reason');

      expect(row.unpriced_reason).toBeNull();
    });

    it('stores nothing on a dry run', async () => {
      await correctPrices();

      const result = await reprice({ dryRun: true });
      const stored = await readStoredPricing(knex);

      expect(result.changed).toBe(3);
      expect(stored.r1.cost).toBe(LIST_COSTS.r1);
      expect(stored.r2.cost).toBe(LIST_COSTS.r2);
      expect(stored.r5.cost).toBeNull();
    });

    it('audits nothing on a dry run', async () => {
      await correctPrices();

      await reprice({ dryRun: true });

      expect(await repriceAudits()).toEqual([]);
    });

    it('audits one entry per run', async () => {
      await correctPrices();

      await reprice();
      const audits = await repriceAudits();

      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        actor: 'user:default/admin',
        subject: `usage from 2026-11-10 to 2026-11-15 of ${SUPPORT}`,
        details: {
          records: 4,
          changed: 3,
          costBefore: '3.521605',
          costAfter: '2.818605',
          difference: '-0.703',
        },
      });
    });

    it('changes nothing on a second run', async () => {
      await correctPrices();
      await reprice();

      const second = await reprice();

      expect(second.changed).toBe(0);
      expect(second.costBefore).toBe('2.818605');
      expect(second.difference).toBe('0');
    });

    it('reprices all entities without a filter', async () => {
      await correctPrices();

      const result = await repriceUsage({
        usageStore: context.usageStore,
        priceStore: context.priceStore,
        priceBook: await context.pricing.getPriceBook(),
        filter: NOVEMBER,
        dryRun: false,
        actor: 'user:default/admin',
      });
      const stored = await readStoredPricing(knex);

      expect(result.records).toBe(5);
      // 3.521605 + r6 0.0035; 2.818605 + r6 0.0028
      expect(result.costBefore).toBe('3.525105');
      expect(result.costAfter).toBe('2.821405');
      expect(stored.r6.cost).toBe('2800000000');
    });

    it('audits a failed run after stored batches', async () => {
      await correctPrices();
      let calls = 0;
      const failing: UsageStore = Object.create(context.usageStore);
      failing.updatePricing = async rows => {
        calls += 1;
        if (calls === 2) {
          throw new Error('connection lost');
        }
        await context.usageStore.updatePricing(rows);
      };

      await expect(reprice({ usageStore: failing })).rejects.toThrow(
        'connection lost',
      );
      const audits = await repriceAudits();

      expect(audits).toHaveLength(1);
      expect(audits[0].details).toMatchObject({
        failed: 'Error: connection lost',
        storedBeforeFailure: 2,
      });
    });
  });
});
