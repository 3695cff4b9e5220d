import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { parse } from 'csv-parse/sync';
import { Knex } from 'knex';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { dataPath } from '../pricing/loaders/__testUtils__/dataDir';
import { BillingConfig, DEFAULT_BILLING_CONFIG } from './billingConfig';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { importFocusCsv } from './importFocus';

jest.setTimeout(60_000);

const SAMPLE = 'focus-sample-data/focus_sample.odd-rows.csv';
const SPEC_DIR = 'focus-spec-examples';
const PICO_DIGITS = 12;
const ALL_MONTHS = { fromMonth: '2000-01', toMonth: '2099-12' };

type CsvRow = Record<string, string>;

/** Reads a data file with csv-parse, independently of the importer. */
function readRows(relativePath: string): CsvRow[] {
  return parse(readFileSync(dataPath(relativePath)), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  });
}

/** Decimal string to pico-units with BigInt; test values have ≤ 12 decimals. */
function pico(text: string): bigint {
  const negative = text.trim().startsWith('-');
  const [whole, fraction = ''] = text.trim().replace('-', '').split('.');
  const value = BigInt(`${whole}${fraction.padEnd(PICO_DIGITS, '0')}`);
  return negative ? -value : value;
}

function sumBilled(rows: CsvRow[]): bigint {
  return rows.reduce((total, row) => total + pico(row.BilledCost), 0n);
}

async function* chunksOf(text: string) {
  yield text;
}

describe('importFocusCsv', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseBillingStore.create({
      database: { getClient: async () => knex },
    });
    return { knex, store };
  }

  function importFile(
    store: DatabaseBillingStore,
    relativePath: string,
    config: BillingConfig = DEFAULT_BILLING_CONFIG,
  ) {
    return importFocusCsv(createReadStream(dataPath(relativePath)), {
      store,
      config,
      source: relativePath,
      now: () => new Date('2026-12-04T00:00:00Z'),
    });
  }

  const sampleRows = readRows(SAMPLE);
  const allCategories: BillingConfig = {
    serviceCategories: [...new Set(sampleRows.map(row => row.ServiceCategory))],
    serviceNames: [],
    entityTags: ['application'],
  };

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: DatabaseBillingStore;

    beforeEach(async () => {
      ({ knex, store } = await createStore(databaseId));
      await knex('ai_cost_billing_records').delete();
    });

    it('sample keeps AI rows only', async () => {
      const aiRows = sampleRows.filter(
        row => row.ServiceCategory === 'AI and Machine Learning',
      );

      const result = await importFile(store, SAMPLE);
      const sums = await store.sumUnmappedBilledCost(ALL_MONTHS);

      expect(result.focusVersion).toBe('1.0');
      expect(result.accepted).toBe(aiRows.length);
      expect(result.skipped).toBe(sampleRows.length - aiRows.length);
      expect(result.unmapped).toBe(aiRows.length);
      expect(result.rejected).toEqual([]);
      expect(sums).toEqual([
        {
          entityRef: null,
          month: '2024-09',
          currency: 'USD',
          billedCostPico: sumBilled(aiRows),
          rows: aiRows.length,
        },
      ]);
    });

    it('sample totals per entity', async () => {
      const result = await importFile(store, SAMPLE, allCategories);
      const sums = await store.sumBilledCost(ALL_MONTHS);

      const expected = new Map<string, bigint>();
      for (const row of sampleRows) {
        const tags = row.Tags === 'NULL' ? {} : JSON.parse(row.Tags);
        const entity = tags.application
          ? `component:default/${tags.application.toLowerCase()}`
          : 'unmapped';
        const key = `${entity} ${row.ChargePeriodStart.slice(0, 7)}`;
        expected.set(key, (expected.get(key) ?? 0n) + pico(row.BilledCost));
      }
      const actual = new Map(
        sums.map(sum => [
          `${sum.entityRef ?? 'unmapped'} ${sum.month}`,
          sum.billedCostPico,
        ]),
      );

      expect(result.accepted).toBe(sampleRows.length);
      expect(result.rejectedCount).toBe(0);
      expect(actual).toEqual(expected);
      expect(sums.reduce((total, sum) => total + sum.billedCostPico, 0n)).toBe(
        sumBilled(sampleRows),
      );
    });

    it('credit and adjustment rows stored', async () => {
      await importFile(store, SAMPLE, allCategories);
      const stored = await knex('ai_cost_billing_records')
        .whereIn('charge_category', ['Credit', 'Adjustment'])
        .select(
          'charge_category',
          knex.raw('CAST(billed_cost_pico AS TEXT) AS billed'),
        )
        .orderBy('charge_category');
      const expected = sampleRows
        .filter(row => ['Credit', 'Adjustment'].includes(row.ChargeCategory))
        .sort((a, b) => a.ChargeCategory.localeCompare(b.ChargeCategory))
        .map(row => ({
          charge_category: row.ChargeCategory,
          billed: pico(row.BilledCost).toString(),
        }));

      expect(stored).toEqual(expected);
      expect(expected.map(row => row.charge_category)).toEqual([
        'Adjustment',
        'Credit',
      ]);
    });

    it('re-import gives duplicates only', async () => {
      const first = await importFile(store, SAMPLE, allCategories);
      const second = await importFile(store, SAMPLE, allCategories);
      const [{ count }] = await knex('ai_cost_billing_records').count({
        count: '*',
      });

      expect(second.accepted).toBe(0);
      expect(second.duplicates).toBe(first.accepted);
      expect(Number(count)).toBe(first.accepted);
    });

    it('parallel imports store once', async () => {
      const results = await Promise.all([
        importFile(store, SAMPLE, allCategories),
        importFile(store, SAMPLE, allCategories),
      ]);
      const [{ count }] = await knex('ai_cost_billing_records').count({
        count: '*',
      });

      expect(results[0].accepted + results[1].accepted).toBe(sampleRows.length);
      expect(results[0].duplicates + results[1].duplicates).toBe(
        sampleRows.length,
      );
      expect(Number(count)).toBe(sampleRows.length);
    });

    it('identical rows in a file stay distinct', async () => {
      const row =
        '0.5,USD,Usage,2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,Azure OpenAI,AI and Machine Learning';
      const csv = `BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory\n${row}\n${row}\n`;
      const options = { store, config: DEFAULT_BILLING_CONFIG, source: 't' };

      const first = await importFocusCsv(chunksOf(csv), options);
      const second = await importFocusCsv(chunksOf(csv), options);

      expect(first.accepted).toBe(2);
      expect(second.duplicates).toBe(2);
      expect(second.accepted).toBe(0);
    });

    it('normalises token units', async () => {
      const csv = [
        'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ServiceSubcategory,ConsumedQuantity,ConsumedUnit,PricingQuantity,PricingUnit,Tags',
        '0.03,USD,Usage,2024-09-01 00:00:00,2024-09-02 00:00:00,Azure OpenAI,AI and Machine Learning,Generative AI,12.5,1K Tokens,12.5,1K Tokens,"{""backstage-entity"": ""chat""}"',
        '0.20,USD,Usage,2024-09-01 00:00:00,2024-09-02 00:00:00,Azure OpenAI,AI and Machine Learning,Generative AI,0.0125,1M Tokens,0.0125,1M Tokens,"{""backstage-entity"": ""group:ml/search""}"',
        '0.01,USD,Usage,2024-09-01 00:00:00,2024-09-02 00:00:00,Amazon Bedrock,AI and Machine Learning,Generative AI,NULL,NULL,3,1K Tokens,NULL',
        '0.01,USD,Usage,2024-09-01 00:00:00,2024-09-02 00:00:00,Amazon Bedrock,AI and Machine Learning,Generative AI,2,Hours,2,Hours,NULL',
      ].join('\r\n');

      const result = await importFocusCsv(chunksOf(csv), {
        store,
        config: DEFAULT_BILLING_CONFIG,
        source: 'units',
      });
      const rows = await knex('ai_cost_billing_records')
        .select(
          'entity_ref',
          'consumed_quantity',
          'consumed_unit',
          knex.raw('CAST(tokens AS TEXT) AS tokens'),
        )
        .orderBy('id');

      expect(result.focusVersion).toBe('1.1');
      expect(result.accepted).toBe(4);
      expect(rows).toEqual([
        {
          entity_ref: 'component:default/chat',
          consumed_quantity: '12.5',
          consumed_unit: '1K Tokens',
          tokens: '12500',
        },
        {
          entity_ref: 'group:ml/search',
          consumed_quantity: '0.0125',
          consumed_unit: '1M Tokens',
          tokens: '12500',
        },
        {
          entity_ref: null,
          consumed_quantity: null,
          consumed_unit: null,
          tokens: '3000',
        },
        {
          entity_ref: null,
          consumed_quantity: '2',
          consumed_unit: 'Hours',
          tokens: null,
        },
      ]);
    });

    it('bad rows rejected, good rows kept', async () => {
      const header =
        'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,Tags';
      const csv = [
        header,
        '1.5,USD,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,NULL',
        '"$1,000.00",USD,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,NULL',
        '1,USD,Usage,2024-09-31,2024-10-01,Azure OpenAI,AI and Machine Learning,NULL',
        '1,USD,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,"{not json"',
        '1,USD,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,"{""backstage-entity"": ""has space""}"',
        '1,usd,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,NULL',
        '1,USD,Refund,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,NULL',
        '1,USD,Usage,2024-09-01,2024-09-02,Azure OpenAI',
        '"2.5",USD,Usage,2024-09-01,2024-09-02,Azure OpenAI,AI and Machine Learning,NULL',
      ].join('\n');

      const result = await importFocusCsv(chunksOf(csv), {
        store,
        config: DEFAULT_BILLING_CONFIG,
        source: 'bad',
      });
      const [sum] = await store.sumBilledCost(ALL_MONTHS);

      expect(result.accepted).toBe(2);
      expect(sum.billedCostPico).toBe(pico('1.5') + pico('2.5'));
      expect(
        result.rejected.map(({ record, field }) => ({ record, field })),
      ).toEqual([
        { record: 3, field: 'BilledCost' },
        { record: 4, field: 'ChargePeriodStart' },
        { record: 5, field: 'Tags' },
        { record: 6, field: 'Tags' },
        { record: 7, field: 'BillingCurrency' },
        { record: 8, field: 'ChargeCategory' },
        { record: 9, field: undefined },
      ]);
      expect(result.rejected[0].message).toContain('"$1,000.00"');
      expect(result.rejected[1].message).toContain('"2024-09-31"');
      expect(result.rejected[4].message).toContain('"usd"');
      expect(result.rejectedCount).toBe(7);
    });

    it('missing column names expected ones', async () => {
      const result = importFile(
        store,
        `${SPEC_DIR}/commitment_discount_usage_scenario_1.csv`,
      );

      await expect(result).rejects.toThrow(
        /lacks column BillingCurrency, ServiceName; a FOCUS 1.0, 1.1 or 1.2 cost export has the columns BilledCost, BillingCurrency, ChargeCategory, ChargePeriodStart, ChargePeriodEnd, ServiceName/,
      );
    });

    it('virtual currency example imports', async () => {
      const file = `${SPEC_DIR}/virtual_currency_pricing_model_a2.csv`;
      const rows = readRows(file);

      const result = await importFile(store, file, {
        ...DEFAULT_BILLING_CONFIG,
        serviceNames: ['ACMECORP SERVICE'],
      });
      const [sum] = await store.sumUnmappedBilledCost(ALL_MONTHS);

      expect(result.focusVersion).toBe('1.2');
      expect(result.accepted).toBe(rows.length);
      expect(sum.billedCostPico).toBe(sumBilled(rows));
      expect(sum.month).toBe('2025-04');
    });

    it('formatted amounts rejected per row', async () => {
      const file = `${SPEC_DIR}/simple_saas_agreements_c.csv`;
      const rows = readRows(file);

      const result = await importFile(store, file, {
        ...DEFAULT_BILLING_CONFIG,
        serviceNames: ['ACMECORP Licenses'],
      });

      expect(result.focusVersion).toBe('1.1');
      expect(result.accepted).toBe(0);
      expect(result.rejected).toEqual(
        rows.map((row, index) => ({
          record: index + 2,
          field: 'BilledCost',
          message: expect.stringContaining(JSON.stringify(row.BilledCost)),
        })),
      );
    });

    it('every spec example reads', async () => {
      const files = readdirSync(dataPath(SPEC_DIR)).filter(name =>
        name.endsWith('.csv'),
      );
      const outcomes: Record<string, string> = {};

      for (const name of files) {
        try {
          const result = await importFile(store, `${SPEC_DIR}/${name}`, {
            ...DEFAULT_BILLING_CONFIG,
            serviceNames: ['ACMECORP SERVICE', 'ACMECORP Licenses'],
          });
          outcomes[name] = `${result.accepted + result.duplicates} stored, ${
            result.rejectedCount
          } rejected`;
        } catch (error) {
          outcomes[name] = (error as Error).message.slice(0, 40);
        }
      }

      expect(outcomes).toEqual({
        'commitment_discount_purchase_scenario_1.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_purchase_scenario_2.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_purchase_scenario_3.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_usage_scenario_1.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_usage_scenario_2.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_usage_scenario_3.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'commitment_discount_usage_scenario_4.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'one_hundred_percent_utilization_with_commitment_discount_flexibility_with_1_resource.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'one_hundred_percent_utilization_without_commitment_discount_flexibility.csv':
          expect.stringMatching(/^FOCUS header lacks/),
        'simple_saas_agreements_a1.csv': '0 stored, 0 rejected',
        'simple_saas_agreements_a2.csv': '0 stored, 1 rejected',
        'simple_saas_agreements_a3.csv': '0 stored, 1 rejected',
        'simple_saas_agreements_b.csv': '0 stored, 1 rejected',
        'simple_saas_agreements_c.csv': '0 stored, 3 rejected',
        'virtual_currency_pricing_model_a1.csv': '1 stored, 0 rejected',
        'virtual_currency_pricing_model_a2.csv': '3 stored, 0 rejected',
        'virtual_currency_pricing_model_b1.csv': '1 stored, 0 rejected',
        'zero_percent_utilization_without_commitment_discount_flexibility.csv':
          expect.stringMatching(/^FOCUS header lacks/),
      });
    });
  });
});
