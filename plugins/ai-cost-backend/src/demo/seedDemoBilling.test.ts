import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { DEFAULT_BILLING_CONFIG } from '../billing/billingConfig';
import { DatabaseBillingStore } from '../billing/DatabaseBillingStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { PriceBook } from '../pricing/PriceBook';
import { ExchangeRates } from '../pricing/ExchangeRates';
import { parsePriceInput } from '../pricing/priceSheet';
import { seedDemoBilling } from './seedDemoBilling';
import { seedDemoUsage } from './seedDemoUsage';

jest.setTimeout(120_000);

const NOW = new Date('2026-12-04T12:00:00Z');
const CENT = 10_000_000_000n;

describe('seedDemoBilling', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  it.each(databases.eachSupportedId())(
    'bills demo months on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex };
      const usageStore = await DatabaseUsageStore.create({ database });
      const billingStore = await DatabaseBillingStore.create({ database });
      const priceStore = await DatabasePriceStore.create({ database });
      await priceStore.syncPrices(
        [
          parsePriceInput({
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: '2024-05-13',
            currency: 'USD',
            input: '2.50',
            cachedInput: '1.25',
            output: '10',
          }),
          parsePriceInput({
            provider: 'openai',
            model: 'gpt-4o-mini',
            effectiveFrom: '2024-07-18',
            currency: 'USD',
            input: '0.15',
            cachedInput: '0.075',
            output: '0.60',
          }),
        ],
        { sourceKind: 'config', actor: 'config' },
      );
      const priceBook = new PriceBook({
        prices: await priceStore.listPriceVersions(),
        exchangeRates: new ExchangeRates('USD', []),
      });
      const ingestor = new UsageIngestor({
        store: usageStore,
        resolveEntity: async () => undefined,
        getPriceBook: async () => priceBook,
      });
      const logger = mockServices.logger.mock();

      await seedDemoUsage({
        store: usageStore,
        ingestor,
        days: 40,
        logger,
        now: NOW,
      });
      const stored = await seedDemoBilling({
        usageStore,
        billingStore,
        config: DEFAULT_BILLING_CONFIG,
        now: NOW,
        days: 40,
        logger,
      });

      // 40 days before 2026-12-04 reach into October, so October and
      // November are billed. Only gpt-4o and gpt-4o-mini are priced here,
      // so of the billed entities only support-assistant and
      // kb-rag-search have estimated cost.
      const estimated = await usageStore.sumByEntityMonth('2026-10', '2026-11');
      const billed = await billingStore.sumBilledCost({
        fromMonth: '2026-10',
        toMonth: '2026-11',
      });
      const billedOf = (entityRef: string | null, month: string) =>
        billed.find(row => row.entityRef === entityRef && row.month === month)
          ?.billedCostPico;

      const support = estimated.filter(
        row => row.entityRef === 'component:default/support-assistant',
      );
      expect(support.map(row => row.month)).toEqual(['2026-10', '2026-11']);
      for (const row of support) {
        // +1.80 %, rounded half up to a cent.
        const expected =
          (((row.costPico * 10_180n) / 10_000n + CENT / 2n) / CENT) * CENT;
        expect(billedOf(row.entityRef, row.month)).toBe(expected);
      }
      expect(billedOf(null, '2026-11')).toBe(3_840n * CENT);
      expect(billedOf('component:default/hr-policy-bot', '2026-11')).toBe(
        undefined,
      );
      // Notebook usage has no entity and so no bill of its own.
      expect(
        estimated.some(row => row.entityRef === null && row.costPico > 0n),
      ).toBe(true);
      expect(stored).toBe(billed.reduce((sum, row) => sum + row.rows, 0));
    },
  );
});
