import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readAiCostConfig } from '../config';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { CURATED_PRICES } from './catalog/curatedPrices';
import { parsePriceInput } from './priceSheet';
import { PricingService } from './PricingService';

jest.setTimeout(60_000);

const GPT_4O = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2024-05-13',
  currency: 'USD',
  input: '2.50',
  output: '10',
};

const AI_COST: JsonObject = {
  currency: 'EUR',
  curatedCatalog: false,
  prices: [GPT_4O],
  overrides: [
    {
      provider: 'openai',
      effectiveFrom: '2026-01-01',
      discountPercent: '10',
    },
  ],
  exchangeRates: [{ currency: 'USD', date: '2026-03-01', rate: '0.92' }],
};

describe('PricingService', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    return DatabasePriceStore.create({
      database: { getClient: async () => knex },
    });
  }

  function createService(store: DatabasePriceStore, aiCost = AI_COST) {
    return new PricingService({
      store,
      config: readAiCostConfig(new ConfigReader({ aiCost })),
      logger: mockServices.rootLogger({ level: 'none' }),
    });
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('syncConfiguredSources', () => {
      let store: DatabasePriceStore;

      beforeAll(async () => {
        store = await createStore(databaseId);
        await createService(store).syncConfiguredSources();
      });

      it('stores configured prices', async () => {
        const versions = await store.listPriceVersions();

        expect(
          versions.map(version => [version.model, version.sourceKind]),
        ).toEqual([['gpt-4o', 'config']]);
      });

      it('stores configured overrides', async () => {
        const overrides = await store.listOverrides();

        expect(overrides).toMatchObject([
          {
            provider: 'openai',
            model: undefined,
            discountPercent: '10',
            sourceKind: 'config',
            createdBy: 'config',
          },
        ]);
      });

      it('stores configured rates', async () => {
        expect(await store.listExchangeRates()).toEqual([
          { currency: 'USD', date: '2026-03-01', rate: '0.92' },
        ]);
      });
    });

    it('changes nothing on second sync', async () => {
      const store = await createStore(databaseId);
      await createService(store).syncConfiguredSources();
      const overrides = await store.listOverrides();
      const versions = await store.listPriceVersions();

      await createService(store).syncConfiguredSources();

      expect(await store.listOverrides()).toEqual(overrides);
      expect(await store.listPriceVersions()).toEqual(versions);
    });

    it('deletes override removed from config', async () => {
      const store = await createStore(databaseId);
      await createService(store).syncConfiguredSources();

      await createService(store, {
        ...AI_COST,
        overrides: [],
      }).syncConfiguredSources();

      expect(await store.listOverrides()).toEqual([]);
    });

    it('replaces changed config override', async () => {
      const store = await createStore(databaseId);
      await createService(store).syncConfiguredSources();

      await createService(store, {
        ...AI_COST,
        overrides: [
          {
            provider: 'openai',
            effectiveFrom: '2026-01-01',
            discountPercent: '12',
          },
        ],
      }).syncConfiguredSources();
      const overrides = await store.listOverrides();

      expect(overrides.map(override => override.discountPercent)).toEqual([
        '12',
      ]);
    });

    it('keeps overrides made through API', async () => {
      const store = await createStore(databaseId);
      await store.createOverride(
        {
          provider: 'azure',
          effectiveFrom: '2026-01-01',
          discountPercent: '5',
        },
        { actor: 'user:default/finops', sourceKind: 'api' },
      );

      await createService(store, {
        ...AI_COST,
        overrides: [],
      }).syncConfiguredSources();
      const overrides = await store.listOverrides();

      expect(overrides.map(override => override.sourceKind)).toEqual(['api']);
    });

    it('stores curated catalog when enabled', async () => {
      const store = await createStore(databaseId);

      await createService(store, {
        ...AI_COST,
        curatedCatalog: true,
      }).syncConfiguredSources();
      const versions = await store.listPriceVersions();

      expect(
        versions.filter(version => version.sourceKind === 'catalog').length,
      ).toBe(CURATED_PRICES.length);
    });

    describe('getPriceBook', () => {
      it('prices with stored sources', async () => {
        const store = await createStore(databaseId);
        const service = createService(store);
        await service.syncConfiguredSources();

        const book = await service.getPriceBook();
        const result = book.price(
          'openai',
          'gpt-4o',
          Date.parse('2026-03-02T10:00:00Z'),
          { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 0 },
        );

        // $2.50 less 10 % is $2.25, at €0.92 per dollar €2.07.
        expect(result).toMatchObject({
          priced: true,
          costPico: 2_070_000_000_000n,
          currency: 'EUR',
        });
      });

      it('reuses book until prices change', async () => {
        const store = await createStore(databaseId);
        const service = createService(store);
        await service.syncConfiguredSources();

        const first = await service.getPriceBook();
        const second = await service.getPriceBook();

        expect(second).toBe(first);
      });

      it('rebuilds book after price sync', async () => {
        const store = await createStore(databaseId);
        const service = createService(store);
        await service.syncConfiguredSources();
        const before = await service.getPriceBook();

        await service.syncPrices(
          [parsePriceInput({ ...GPT_4O, model: 'gpt-4o-mini' })],
          'api',
          'user:default/finops',
        );
        const after = await service.getPriceBook();

        expect(after).not.toBe(before);
        expect(
          after.find('openai', 'gpt-4o-mini', Date.parse('2026-03-02')),
        ).toBeDefined();
      });
    });
  });
});
