import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { ExchangeRateInput, ExchangeRates } from '../pricing/ExchangeRates';
import { PriceBook, PriceOverride } from '../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { toUsageRecord } from './normalizedRecord';
import { UsageIngestor } from './UsageIngestor';

jest.setTimeout(60_000);

const ENTITY = 'component:default/support-assistant';

const GPT_4O: PriceInput = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2024-05-13',
  currency: 'USD',
  input: '2.50',
  cachedInput: '1.25',
  output: '10',
};

const REALTIME: PriceInput = {
  provider: 'openai',
  model: 'gpt-realtime',
  effectiveFrom: '2025-08-28',
  currency: 'USD',
  input: '0',
  output: '0',
  dynamic: true,
};

const CONFIG = { sourceKind: 'config', actor: 'config' } as const;

/**
 * Builds a gpt-4o record that costs 2,000 uncached × $2.50 + 8,000 cached ×
 * $1.25 + 500 × $10 per million = $0.005 + $0.01 + $0.005 = $0.02.
 */
function gpt4oRecord(fields: Record<string, unknown> = {}) {
  return toUsageRecord(
    {
      timestamp: '2026-03-02T10:00:00Z',
      entityRef: ENTITY,
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      outputTokens: 500,
      requestId: 'req-1',
      ...fields,
    },
    0,
  );
}

/** $0.02 in pico-units. */
const GPT_4O_COST = '20000000000';

describe('UsageIngestor', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createIngestor(
    databaseId: TestDatabaseId,
    options: {
      prices?: PriceInput[];
      overrides?: PriceOverride[];
      reportingCurrency?: string;
      rates?: ExchangeRateInput[];
      tolerancePercent?: string;
      retentionDays?: number;
    } = {},
  ) {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const store = await DatabaseUsageStore.create({ database });
    const priceStore = await DatabasePriceStore.create({ database });
    await priceStore.syncPrices(
      (options.prices ?? [GPT_4O, REALTIME]).map(parsePriceInput),
      CONFIG,
    );

    let priceBook: PriceBook;
    const loadPriceBook = async () => {
      priceBook = new PriceBook({
        prices: await priceStore.listPriceVersions(),
        overrides: options.overrides,
        exchangeRates: new ExchangeRates(
          options.reportingCurrency ?? 'USD',
          options.rates ?? [],
        ),
      });
    };
    await loadPriceBook();

    const ingestor = new UsageIngestor({
      store,
      resolveEntity: async () => undefined,
      getPriceBook: async () => priceBook,
      providerCostTolerancePercent: options.tolerancePercent,
      retentionDays: options.retentionDays,
      now: () => Date.parse('2026-03-10T00:00:00Z'),
    });
    return { knex, ingestor, priceStore, loadPriceBook };
  }

  function storedRow(knex: Knex, requestKey = 'req-1') {
    return knex('ai_cost_usage_records')
      .where({ request_key: requestKey })
      .first();
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('rejects records past retention', async () => {
      const { knex, ingestor } = await createIngestor(databaseId, {
        retentionDays: 7,
      });

      const result = await ingestor.ingest({
        records: [
          gpt4oRecord({ requestId: 'old', timestamp: '2026-03-02T23:59:59Z' }),
          gpt4oRecord({ requestId: 'kept', timestamp: '2026-03-03T00:00:00Z' }),
        ],
        errors: [],
        positions: [4, 5],
      });

      expect(result.accepted).toBe(1);
      expect(result.rejected).toEqual([
        {
          record: 4,
          field: 'timestamp',
          message:
            'timestamp 2026-03-02T23:59:59.000Z is older than the raw-record retention of 7 days; such records cannot be checked for duplicates',
        },
      ]);
      expect(await storedRow(knex, 'old')).toBeUndefined();
      expect(await storedRow(knex, 'kept')).toBeDefined();
    });

    it('rejects implausible timestamps', async () => {
      const { knex, ingestor } = await createIngestor(databaseId);

      const result = await ingestor.ingest({
        records: [
          gpt4oRecord({
            requestId: 'epoch',
            timestamp: '1970-01-01T00:00:00Z',
          }),
          gpt4oRecord({
            requestId: 'future',
            timestamp: '2026-03-11T00:00:01Z',
          }),
          gpt4oRecord({ requestId: 'kept', timestamp: '2026-03-11T00:00:00Z' }),
        ],
        errors: [],
      });

      expect(result.accepted).toBe(1);
      expect(result.rejected.map(error => error.record)).toEqual([0, 1]);
      expect(result.rejected[0].message).toBe(
        'timestamp 1970-01-01T00:00:00.000Z is outside the accepted range from 2000-01-01 to one day after now; check the clock or the time unit of the source',
      );
      expect(await storedRow(knex, 'kept')).toBeDefined();
    });

    it('semantic cache hit costs nothing', async () => {
      const { knex, ingestor } = await createIngestor(databaseId);

      const result = await ingestor.ingest({
        records: [gpt4oRecord({ semanticCacheHit: true })],
        errors: [],
      });
      const row = await storedRow(knex);

      expect(result.unpriced).toBe(0);
      expect(String(row.cost_pico)).toBe('0');
      expect(row.currency).toBe('USD');
      expect(row.price_id).toBeNull();
      expect(row.pricing_note).toBe('semantic cache hit: no model call');
      expect(Boolean(row.semantic_cache_hit)).toBe(true);
      expect(Number(row.input_tokens)).toBe(10_000);
    });

    it('stores priced record', async () => {
      const { knex, ingestor, priceStore } = await createIngestor(databaseId);

      const result = await ingestor.ingest({
        records: [gpt4oRecord()],
        errors: [],
      });
      const row = await storedRow(knex);
      const [gpt4o] = await priceStore.listPriceVersions();

      expect(result).toEqual({
        accepted: 1,
        duplicates: 0,
        unpriced: 0,
        unallocated: 0,
        rejected: [],
      });
      expect(String(row.cost_pico)).toBe(GPT_4O_COST);
      expect(row.currency).toBe('USD');
      expect(String(row.list_cost_pico)).toBe(GPT_4O_COST);
      expect(row.price_id).toBe(gpt4o.id);
      expect(row.unpriced_reason).toBeNull();
    });

    describe('streamed call without usage', () => {
      let knex: Knex;
      let result: Awaited<ReturnType<UsageIngestor['ingest']>>;

      beforeAll(async () => {
        let ingestor: UsageIngestor;
        ({ knex, ingestor } = await createIngestor(databaseId));
        const record = toUsageRecord(
          {
            timestamp: '2026-03-02T10:00:00Z',
            entityRef: ENTITY,
            provider: 'openai',
            model: 'gpt-4o',
            requestId: 'req-1',
          },
          0,
        );

        result = await ingestor.ingest({ records: [record], errors: [] });
      });

      it('is stored', () => {
        expect(result.accepted).toBe(1);
      });

      it('counts as unpriced', () => {
        expect(result.unpriced).toBe(1);
      });

      it('stores no cost', async () => {
        expect((await storedRow(knex)).cost_pico).toBeNull();
      });

      it('stores reason', async () => {
        expect((await storedRow(knex)).unpriced_reason).toBe(
          'no usage reported',
        );
      });
    });

    describe('dynamic price', () => {
      it('stays unpriced without provider cost', async () => {
        const { knex, ingestor } = await createIngestor(databaseId);

        await ingestor.ingest({
          records: [gpt4oRecord({ model: 'gpt-realtime' })],
          errors: [],
        });
        const row = await storedRow(knex);

        expect(row.cost_pico).toBeNull();
        expect(row.unpriced_reason).toBe('dynamic price');
      });

      it('takes provider cost', async () => {
        const { knex, ingestor, priceStore } = await createIngestor(databaseId);

        await ingestor.ingest({
          records: [
            gpt4oRecord({ model: 'gpt-realtime', providerCost: '0.0125' }),
          ],
          errors: [],
        });
        const row = await storedRow(knex);
        const realtime = (await priceStore.listPriceVersions()).find(
          version => version.model === 'gpt-realtime',
        );

        // $0.0125 is 12,500,000,000 pico-units.
        expect(String(row.cost_pico)).toBe('12500000000');
        expect(row.pricing_note).toBe(
          'dynamic price; provider-reported cost used',
        );
        expect(row.price_id).toBe(realtime?.id);
        expect(Boolean(row.cost_mismatch)).toBe(false);
      });
    });

    describe('provider cost mismatch', () => {
      // The computed cost is $0.02. The tolerance is a percentage of the
      // reported cost, so 1 % of $0.0202 is $0.000202, above the gap.
      it.each([
        ['0.02', '1', false],
        ['0.0202', '1', false],
        ['0.0203', '1', true],
        ['0.0198', '1', true],
        ['0.0203', '5', false],
        ['0.0203', '0', true],
      ])(
        'flags $%s at %s percent: %s',
        async (providerCost, tolerancePercent, flagged) => {
          const { knex, ingestor } = await createIngestor(databaseId, {
            tolerancePercent,
          });

          await ingestor.ingest({
            records: [gpt4oRecord({ providerCost })],
            errors: [],
          });
          const row = await storedRow(knex);

          expect(Boolean(row.cost_mismatch)).toBe(flagged);
        },
      );

      it.each([
        ['0.0202', false],
        ['0.0203', true],
      ])(
        'flags $%s at default 1 percent: %s',
        async (providerCost, flagged) => {
          const { knex, ingestor } = await createIngestor(databaseId);

          await ingestor.ingest({
            records: [gpt4oRecord({ providerCost })],
            errors: [],
          });
          const row = await storedRow(knex);

          expect(Boolean(row.cost_mismatch)).toBe(flagged);
        },
      );

      it('stores reported cost', async () => {
        const { knex, ingestor } = await createIngestor(databaseId);

        await ingestor.ingest({
          records: [
            gpt4oRecord({
              providerCost: '0.016',
              providerCostCurrency: 'EUR',
            }),
          ],
          errors: [],
        });
        const row = await storedRow(knex);

        expect(row.provider_cost).toBe('0.016');
        expect(row.provider_cost_currency).toBe('EUR');
      });

      it('converts reported cost first', async () => {
        const { knex, ingestor } = await createIngestor(databaseId, {
          rates: [{ currency: 'EUR', date: '2026-03-01', rate: '1.25' }],
        });

        await ingestor.ingest({
          records: [
            gpt4oRecord({
              providerCost: '0.016',
              providerCostCurrency: 'EUR',
            }),
          ],
          errors: [],
        });
        const row = await storedRow(knex);

        // €0.016 at $1.25 per euro is $0.02, the computed cost.
        expect(Boolean(row.cost_mismatch)).toBe(false);
      });
    });

    describe('overrides and currencies', () => {
      it('stores discounted and list cost', async () => {
        const { knex, ingestor } = await createIngestor(databaseId, {
          overrides: [
            {
              id: 3,
              provider: 'openai',
              effectiveFrom: Date.parse('2026-01-01T00:00:00Z'),
              discountPercent: '15',
            },
          ],
        });

        await ingestor.ingest({ records: [gpt4oRecord()], errors: [] });
        const row = await storedRow(knex);

        // $0.02 less 15 %: $0.017.
        expect(String(row.cost_pico)).toBe('17000000000');
        expect(String(row.list_cost_pico)).toBe(GPT_4O_COST);
        expect(row.override_id).toBe(3);
      });

      it('stores reporting and list currency', async () => {
        const { knex, ingestor } = await createIngestor(databaseId, {
          reportingCurrency: 'EUR',
          rates: [{ currency: 'USD', date: '2026-03-01', rate: '0.9210' }],
        });

        await ingestor.ingest({ records: [gpt4oRecord()], errors: [] });
        const row = await storedRow(knex);

        // $0.02 at €0.9210 per dollar: €0.01842.
        expect(String(row.cost_pico)).toBe('18420000000');
        expect(row.currency).toBe('EUR');
        expect(String(row.list_cost_pico)).toBe(GPT_4O_COST);
        expect(row.list_currency).toBe('USD');
      });

      it('stays unpriced without rate', async () => {
        const { knex, ingestor } = await createIngestor(databaseId, {
          reportingCurrency: 'EUR',
        });

        const result = await ingestor.ingest({
          records: [gpt4oRecord()],
          errors: [],
        });
        const row = await storedRow(knex);

        expect(result.unpriced).toBe(1);
        expect(row.unpriced_reason).toBe(
          'no exchange rate from USD to EUR on 2026-03-02',
        );
      });

      it('stores pricing note', async () => {
        const { knex, ingestor } = await createIngestor(databaseId);

        await ingestor.ingest({
          records: [gpt4oRecord({ serviceTier: 'priority' })],
          errors: [],
        });
        const row = await storedRow(knex);

        expect(row.service_tier).toBe('priority');
        expect(row.pricing_note).toBe('no priority price; standard price used');
      });
    });

    describe('batch job retrieved four times', () => {
      it('stores repeats in one batch once', async () => {
        const { ingestor } = await createIngestor(databaseId);
        const records = [1, 2, 3, 4].map(() =>
          gpt4oRecord({ requestId: 'batch_req_abc123' }),
        );

        const result = await ingestor.ingest({ records, errors: [] });

        expect(result.accepted).toBe(1);
        expect(result.duplicates).toBe(3);
      });

      it('charges four imports once', async () => {
        const { knex, ingestor } = await createIngestor(databaseId);

        const results = [];
        for (let retrieval = 0; retrieval < 4; retrieval++) {
          results.push(
            await ingestor.ingest({
              records: [gpt4oRecord({ requestId: 'batch_req_abc123' })],
              errors: [],
            }),
          );
        }
        const [{ total }] = await knex('ai_cost_usage_records').select(
          knex.raw('CAST(SUM(cost_pico) AS TEXT) AS total'),
        );

        expect(results.map(result => result.accepted)).toEqual([1, 0, 0, 0]);
        expect(total).toBe(GPT_4O_COST);
      });
    });

    describe('changed price', () => {
      it('keeps price id of stored record', async () => {
        const { knex, ingestor, priceStore, loadPriceBook } =
          await createIngestor(databaseId);
        await ingestor.ingest({ records: [gpt4oRecord()], errors: [] });
        const [oldVersion] = await priceStore.listPriceVersions();

        await priceStore.syncPrices(
          [{ ...GPT_4O, input: '2' }, REALTIME].map(parsePriceInput),
          CONFIG,
        );
        await loadPriceBook();
        await ingestor.ingest({
          records: [gpt4oRecord({ requestId: 'req-2' })],
          errors: [],
        });
        const first = await storedRow(knex, 'req-1');
        const second = await storedRow(knex, 'req-2');

        expect(first.price_id).toBe(oldVersion.id);
        expect(String(first.cost_pico)).toBe(GPT_4O_COST);
        expect(second.price_id).not.toBe(oldVersion.id);
        // 2,000 × $2 + 8,000 × $1.25 + 500 × $10 per million: $0.019.
        expect(String(second.cost_pico)).toBe('19000000000');
      });
    });

    it('stores token parts and web searches', async () => {
      const { knex, ingestor } = await createIngestor(databaseId);

      await ingestor.ingest({
        records: [
          gpt4oRecord({
            cachedInputTokens: 1_000,
            cacheWriteTokens: 2_000,
            cacheWrite1hTokens: 3_000,
            inputAudioTokens: 400,
            inputImageTokens: 500,
            reasoningTokens: 300,
            outputAudioTokens: 70,
            outputImageTokens: 80,
            webSearchRequests: 2,
          }),
        ],
        errors: [],
      });
      const row = await storedRow(knex);

      expect(
        [
          row.cached_input_tokens,
          row.cache_write_tokens,
          row.cache_write_1h_tokens,
          row.input_audio_tokens,
          row.input_image_tokens,
          row.reasoning_tokens,
          row.output_audio_tokens,
          row.output_image_tokens,
          row.web_search_requests,
        ].map(Number),
      ).toEqual([1_000, 2_000, 3_000, 400, 500, 300, 70, 80, 2]);
    });
  });
});
