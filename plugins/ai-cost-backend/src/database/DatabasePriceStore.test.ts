import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { PriceBook } from '../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { DatabasePriceStore } from './DatabasePriceStore';

jest.setTimeout(60_000);

const GPT_4O: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
  source: 'openai.com/api/pricing',
};

const GPT_4O_MINI: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  effectiveFrom: '2026-01-01',
  currency: 'USD',
  input: '0.15',
  output: '0.60',
};

const CONFIG = { sourceKind: 'config', actor: 'config' } as const;

describe('DatabasePriceStore', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    // A DatabaseService stub around the real test database.
    const store = await DatabasePriceStore.create({
      database: { getClient: async () => knex },
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('syncPrices', () => {
      it('adds new prices', async () => {
        const { store } = await createStore(databaseId);

        const result = await store.syncPrices(
          [GPT_4O, GPT_4O_MINI].map(parsePriceInput),
          CONFIG,
        );

        expect(result).toEqual({
          added: 2,
          changed: 0,
          unchanged: 0,
          removed: 0,
        });
      });

      it('reads stored version back', async () => {
        const { store } = await createStore(databaseId);

        await store.syncPrices(
          [
            parsePriceInput({
              ...GPT_4O,
              effectiveTo: '2026-08-21T00:00:00+02:00',
            }),
          ],
          CONFIG,
        );
        const versions = await store.listPriceVersions();

        expect(versions).toEqual([
          {
            id: expect.any(Number),
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: Date.UTC(2026, 0, 1),
            effectiveTo: Date.UTC(2026, 7, 20, 22),
            currency: 'USD',
            schedules: {
              standard: {
                rates: {
                  input: 2_500_000n,
                  cachedInput: 1_250_000n,
                  output: 10_000_000n,
                },
                tiers: [],
              },
            },
            dynamic: false,
            source: 'openai.com/api/pricing',
            sourceKind: 'config',
            createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
            retiredAt: undefined,
          },
        ]);
      });

      it('keeps tiers, schedules and dynamic flag', async () => {
        const { store } = await createStore(databaseId);
        const parsed = parsePriceInput({
          ...GPT_4O,
          dynamic: true,
          tiers: [{ aboveInputTokens: 200_000, input: '5', output: '20' }],
          batch: { input: '1.25', output: '5', webSearch: '0.01' },
        });

        await store.syncPrices([parsed], CONFIG);
        const [stored] = await store.listPriceVersions();

        expect(stored.schedules).toEqual(parsed.schedules);
        expect(stored.dynamic).toBe(true);
      });

      it('leaves equal prices unchanged', async () => {
        const { store } = await createStore(databaseId);
        const prices = [GPT_4O, GPT_4O_MINI].map(parsePriceInput);
        await store.syncPrices(prices, CONFIG);
        const before = await store.listPriceVersions();
        const auditBefore = await store.listAudit();

        const result = await store.syncPrices(prices, CONFIG);

        expect(result).toEqual({
          added: 0,
          changed: 0,
          unchanged: 2,
          removed: 0,
        });
        expect(await store.listPriceVersions()).toEqual(before);
        expect(await store.listAudit()).toEqual(auditBefore);
      });

      describe('changed price', () => {
        let store: DatabasePriceStore;
        let oldId: number;
        let result: unknown;

        beforeAll(async () => {
          ({ store } = await createStore(databaseId));
          await store.syncPrices(
            [GPT_4O, GPT_4O_MINI].map(parsePriceInput),
            CONFIG,
          );
          oldId = (await store.listPriceVersions()).find(
            version => version.model === 'gpt-4o',
          )!.id;

          result = await store.syncPrices(
            [{ ...GPT_4O, input: '2.00' }, GPT_4O_MINI].map(parsePriceInput),
            CONFIG,
          );
        });

        it('counts one change', () => {
          expect(result).toEqual({
            added: 0,
            changed: 1,
            unchanged: 1,
            removed: 0,
          });
        });

        it('lists only new version', async () => {
          const versions = await store.listPriceVersions();
          const gpt4o = versions.filter(version => version.model === 'gpt-4o');

          expect(gpt4o.length).toBe(1);
          expect(gpt4o[0].id).not.toBe(oldId);
          expect(gpt4o[0].schedules.standard.rates.input).toBe(2_000_000n);
        });

        it('keeps old version retired', async () => {
          const versions = await store.listPriceVersions({
            includeRetired: true,
          });
          const old = versions.find(version => version.id === oldId);

          expect(versions.length).toBe(3);
          expect(old?.schedules.standard.rates.input).toBe(2_500_000n);
          expect(old?.retiredAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        });

        it('audits the change', async () => {
          const [latest] = await store.listAudit();

          expect(latest).toEqual({
            id: expect.any(Number),
            occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
            actor: 'config',
            action: 'prices.sync',
            subject: 'prices from config',
            details: {
              added: 0,
              changed: 1,
              unchanged: 1,
              removed: 0,
              retiredPriceIds: [oldId],
            },
          });
        });
      });

      it('adds price with new effectiveFrom', async () => {
        const { store } = await createStore(databaseId);
        await store.syncPrices([parsePriceInput(GPT_4O)], CONFIG);

        const result = await store.syncPrices(
          [parsePriceInput({ ...GPT_4O, effectiveFrom: '2026-08-21' })],
          CONFIG,
        );
        const versions = await store.listPriceVersions();

        expect(result).toEqual({
          added: 1,
          changed: 0,
          unchanged: 0,
          removed: 0,
        });
        expect(versions.map(version => version.effectiveFrom)).toEqual([
          Date.UTC(2026, 0, 1),
          Date.UTC(2026, 7, 21),
        ]);
      });

      it('keeps earlier price after cut', async () => {
        const { store } = await createStore(databaseId);
        const beforeCut: PriceInput = {
          ...GPT_4O,
          model: 'gpt-5-pro',
          input: '5',
          cachedInput: '0.50',
          output: '30',
        };
        await store.syncPrices([parsePriceInput(beforeCut)], CONFIG);
        await store.syncPrices(
          [
            parsePriceInput(beforeCut),
            parsePriceInput({
              ...beforeCut,
              effectiveFrom: '2026-08-21',
              input: '4',
              cachedInput: '0.40',
              output: '20',
            }),
          ],
          CONFIG,
        );
        const book = new PriceBook({
          prices: await store.listPriceVersions(),
        });

        const result = book.price(
          'openai',
          'gpt-5-pro',
          Date.parse('2026-08-20T12:00:00Z'),
          {
            inputTokens: 5_000_000,
            cachedInputTokens: 4_000_000,
            outputTokens: 200_000,
          },
        );

        // 1,000,000 × $5 + 4,000,000 × $0.50 + 200,000 × $30 per million.
        expect(result).toMatchObject({
          priced: true,
          costPico: 13_000_000_000_000n,
        });
      });

      it('keeps sources apart', async () => {
        const { store } = await createStore(databaseId);
        await store.syncPrices([parsePriceInput(GPT_4O)], CONFIG);

        const result = await store.syncPrices(
          [parsePriceInput({ ...GPT_4O, input: '2.00' })],
          { sourceKind: 'litellm', actor: 'litellm loader' },
        );
        const versions = await store.listPriceVersions();

        expect(result).toEqual({
          added: 1,
          changed: 0,
          unchanged: 0,
          removed: 0,
        });
        expect(versions.map(version => version.sourceKind)).toEqual([
          'config',
          'litellm',
        ]);
      });

      it('matches stored key in any case', async () => {
        const { store } = await createStore(databaseId);
        await store.syncPrices([parsePriceInput(GPT_4O)], CONFIG);

        const result = await store.syncPrices(
          [parsePriceInput({ ...GPT_4O, provider: 'OpenAI', input: '2.00' })],
          CONFIG,
        );

        expect(result).toEqual({
          added: 0,
          changed: 1,
          unchanged: 0,
          removed: 0,
        });
      });

      it('retires prices a whole source dropped', async () => {
        const { store } = await createStore(databaseId);
        const mini = { ...GPT_4O, model: 'gpt-4o-mini', input: '0.15' };
        await store.syncPrices([GPT_4O, mini].map(parsePriceInput), CONFIG);

        const result = await store.syncPrices([parsePriceInput(GPT_4O)], {
          ...CONFIG,
          retireMissing: true,
        });
        const current = await store.listPriceVersions();

        expect(result).toEqual({
          added: 0,
          changed: 0,
          unchanged: 1,
          removed: 1,
        });
        expect(current.map(version => version.model)).toEqual(['gpt-4o']);
      });

      it('keeps prices missing from additions', async () => {
        const { store } = await createStore(databaseId);
        const mini = { ...GPT_4O, model: 'gpt-4o-mini', input: '0.15' };
        await store.syncPrices([GPT_4O, mini].map(parsePriceInput), CONFIG);

        await store.syncPrices([parsePriceInput(GPT_4O)], CONFIG);
        const current = await store.listPriceVersions();

        expect(current.map(version => version.model)).toEqual([
          'gpt-4o',
          'gpt-4o-mini',
        ]);
      });

      it('keeps last of repeated entries', async () => {
        const { store } = await createStore(databaseId);

        const result = await store.syncPrices(
          [GPT_4O, { ...GPT_4O, input: '2.00' }].map(parsePriceInput),
          CONFIG,
        );
        const versions = await store.listPriceVersions({
          includeRetired: true,
        });

        expect(result).toEqual({
          added: 1,
          changed: 0,
          unchanged: 0,
          removed: 0,
        });
        expect(versions.length).toBe(1);
        expect(versions[0].schedules.standard.rates.input).toBe(2_000_000n);
      });

      it('stores more prices than one statement', async () => {
        const { store } = await createStore(databaseId);
        const prices = Array.from({ length: 1201 }, (_, index) =>
          parsePriceInput({ ...GPT_4O_MINI, model: `model-${index}` }),
        );

        const result = await store.syncPrices(prices, CONFIG);

        expect(result.added).toBe(1201);
        expect((await store.listPriceVersions()).length).toBe(1201);
      });

      it('audits nothing for empty sync', async () => {
        const { store } = await createStore(databaseId);

        const result = await store.syncPrices([], CONFIG);

        expect(result).toEqual({
          added: 0,
          changed: 0,
          unchanged: 0,
          removed: 0,
        });
        expect(await store.listAudit()).toEqual([]);
      });
    });

    describe('overrides', () => {
      const discount = {
        provider: 'azure',
        effectiveFrom: '2026-01-01',
        effectiveTo: '2027-01-01T00:00:00+01:00',
        discountPercent: '12.5',
      };

      it('stores discount override', async () => {
        const { store } = await createStore(databaseId);

        const created = await store.createOverride(discount, {
          actor: 'user:default/finops',
          sourceKind: 'api',
        });

        expect(created).toEqual({
          id: expect.any(Number),
          provider: 'azure',
          model: undefined,
          effectiveFrom: Date.UTC(2026, 0, 1),
          effectiveTo: Date.UTC(2026, 11, 31, 23),
          discountPercent: '12.5',
          currency: undefined,
          schedules: undefined,
          sourceKind: 'api',
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          createdBy: 'user:default/finops',
        });
        expect(await store.listOverrides()).toEqual([created]);
      });

      it('stores explicit prices', async () => {
        const { store } = await createStore(databaseId);
        const explicit = parsePriceInput({
          provider: 'azure',
          model: 'gpt-4o',
          effectiveFrom: '2026-01-01',
          currency: 'EUR',
          input: '2',
          output: '8',
          tiers: [{ aboveInputTokens: 200_000, input: '4', output: '16' }],
        });

        await store.createOverride(
          {
            provider: 'azure',
            model: 'gpt-4o',
            effectiveFrom: '2026-01-01',
            currency: 'EUR',
            schedules: explicit.schedules,
          },
          { actor: 'config', sourceKind: 'config' },
        );
        const [stored] = await store.listOverrides();

        expect(stored.schedules).toEqual(explicit.schedules);
        expect(stored.currency).toBe('EUR');
        expect(stored.model).toBe('gpt-4o');
      });

      it('audits creation', async () => {
        const { store } = await createStore(databaseId);

        const created = await store.createOverride(discount, {
          actor: 'user:default/finops',
          sourceKind: 'api',
        });
        const [entry] = await store.listAudit();

        expect(entry).toMatchObject({
          actor: 'user:default/finops',
          action: 'override.create',
          subject: `override ${created.id}`,
        });
        expect(entry.details).toMatchObject({
          provider: 'azure',
          discount_percent: '12.5',
        });
      });

      it('deletes override', async () => {
        const { store } = await createStore(databaseId);
        const created = await store.createOverride(discount, {
          actor: 'config',
          sourceKind: 'config',
        });

        const deleted = await store.deleteOverride(created.id, 'config');

        expect(deleted).toBe(true);
        expect(await store.listOverrides()).toEqual([]);
      });

      it('audits deletion', async () => {
        const { store } = await createStore(databaseId);
        const created = await store.createOverride(discount, {
          actor: 'config',
          sourceKind: 'config',
        });

        await store.deleteOverride(created.id, 'user:default/finops');
        const [entry] = await store.listAudit();

        expect(entry).toMatchObject({
          actor: 'user:default/finops',
          action: 'override.delete',
          subject: `override ${created.id}`,
          details: {},
        });
      });

      it('returns false for unknown id', async () => {
        const { store } = await createStore(databaseId);

        expect(await store.deleteOverride(999, 'config')).toBe(false);
      });

      it('returns false on second delete', async () => {
        const { store } = await createStore(databaseId);
        const created = await store.createOverride(discount, {
          actor: 'config',
          sourceKind: 'config',
        });
        await store.deleteOverride(created.id, 'config');

        expect(await store.deleteOverride(created.id, 'config')).toBe(false);
      });
    });

    describe('exchange rates', () => {
      it('lists rates by currency and date', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertExchangeRates(
          [
            { currency: 'GBP', date: '2026-03-01', rate: '1.2650' },
            { currency: 'EUR', date: '2026-03-02', rate: '1.0842' },
            { currency: 'EUR', date: '2026-03-01', rate: '1.0790' },
          ],
          'config',
        );

        expect(await store.listExchangeRates()).toEqual([
          { currency: 'EUR', date: '2026-03-01', rate: '1.0790' },
          { currency: 'EUR', date: '2026-03-02', rate: '1.0842' },
          { currency: 'GBP', date: '2026-03-01', rate: '1.2650' },
        ]);
      });

      it('replaces rate of same day', async () => {
        const { store } = await createStore(databaseId);
        await store.upsertExchangeRates(
          [{ currency: 'EUR', date: '2026-03-01', rate: '1.0790' }],
          'config',
        );

        await store.upsertExchangeRates(
          [{ currency: 'EUR', date: '2026-03-01', rate: '1.0800' }],
          'config',
        );

        expect(await store.listExchangeRates()).toEqual([
          { currency: 'EUR', date: '2026-03-01', rate: '1.0800' },
        ]);
      });

      it('audits upsert with count', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertExchangeRates(
          [
            { currency: 'EUR', date: '2026-03-01', rate: '1.0790' },
            { currency: 'EUR', date: '2026-03-02', rate: '1.0842' },
          ],
          'config',
        );
        const [entry] = await store.listAudit();

        expect(entry).toMatchObject({
          actor: 'config',
          action: 'exchange-rates.upsert',
          details: { count: 2 },
        });
      });

      it('rejects invalid rate', async () => {
        const { store } = await createStore(databaseId);

        await expect(
          store.upsertExchangeRates(
            [{ currency: 'EUR', date: '2026-03-01', rate: 'abc' }],
            'config',
          ),
        ).rejects.toThrow(
          'Invalid exchange rate EUR on 2026-03-01: rate "abc" is not a positive decimal with at most 10 decimals, such as "1.0842"',
        );
      });

      it('stores nothing from rejected batch', async () => {
        const { store } = await createStore(databaseId);

        await store
          .upsertExchangeRates(
            [
              { currency: 'EUR', date: '2026-03-01', rate: '1.0790' },
              { currency: 'EUR', date: '2026-03-02', rate: '0' },
            ],
            'config',
          )
          .catch(() => undefined);

        expect(await store.listExchangeRates()).toEqual([]);
      });

      it('audits nothing for no rates', async () => {
        const { store } = await createStore(databaseId);

        await store.upsertExchangeRates([], 'config');

        expect(await store.listAudit()).toEqual([]);
      });
    });

    describe('audit log', () => {
      it('lists newest first', async () => {
        const { store } = await createStore(databaseId);

        for (const action of ['first', 'second', 'third']) {
          await store.appendAudit({
            actor: 'user:default/finops',
            action,
            subject: 'test',
            details: { action },
          });
        }
        const entries = await store.listAudit();

        expect(entries.map(entry => entry.action)).toEqual([
          'third',
          'second',
          'first',
        ]);
      });

      it('applies limit', async () => {
        const { store } = await createStore(databaseId);

        for (const action of ['first', 'second', 'third']) {
          await store.appendAudit({
            actor: 'config',
            action,
            subject: 'test',
            details: {},
          });
        }
        const entries = await store.listAudit({ limit: 2 });

        expect(entries.map(entry => entry.action)).toEqual(['third', 'second']);
      });

      it('reads details back as JSON', async () => {
        const { store } = await createStore(databaseId);

        await store.appendAudit({
          actor: 'config',
          action: 'repricing.run',
          subject: 'usage from 2026-03-01',
          details: { records: 12, days: ['2026-03-01'] },
        });
        const [entry] = await store.listAudit();

        expect(entry.details).toEqual({ records: 12, days: ['2026-03-01'] });
      });
    });
  });
});
