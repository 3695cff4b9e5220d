import { TEST_DATABASE_IDS } from '../../__testUtils__/testDatabases';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { dataPath } from '../../pricing/loaders/__testUtils__/dataDir';
import { DatabasePriceStore } from '../../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../../database/DatabaseUsageStore';
import { PriceBook } from '../../pricing/PriceBook';
import { createRouter } from '../../service/router';
import { EntityResolver } from '../EntityResolver';
import { UsageIngestor } from '../UsageIngestor';

jest.setTimeout(120_000);

// Trace exports of Langfuse's framework integration examples, from the
// GitHub repository langfuse/langfuse (MIT): one trace with its
// observations per file, priced by Langfuse.
const TRACE_FOLDER = 'langfuse-framework-traces';

const CLI = resolve(__dirname, '../../../bin/ai-cost');

type Json = Record<string, any>;

/**
 * Parses JSON with every number kept as its source text, so that costs
 * such as 0.000234449999 are summed exactly.
 */
function parseWithNumberText(text: string): Json {
  return JSON.parse(
    text,
    (_key: string, value: unknown, context?: { source?: string }): unknown =>
      typeof value === 'number' && context?.source !== undefined
        ? context.source
        : value,
  );
}

/** Reads a decimal text such as 0.00003645 or 3.645e-05 as pico-units. */
function toPico(text: string): bigint {
  const [mantissa, exponentText = '0'] = text.toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  const exponent = Number(exponentText) - fraction.length + 12;
  const digits = BigInt(whole + fraction);
  if (exponent >= 0) {
    return digits * 10n ** BigInt(exponent);
  }
  const divisor = 10n ** BigInt(-exponent);
  if (digits % divisor !== 0n) {
    throw new Error(`${text} has more than 12 decimals`);
  }
  return digits / divisor;
}

interface Expected {
  generations: number;
  skipped: number;
  inputTokens: bigint;
  cachedInputTokens: bigint;
  outputTokens: bigint;
  totalTokens: bigint;
  providerCostPico: bigint;
}

/**
 * Sums a trace export as Langfuse defines it, without the reader's code:
 * usage types whose name contains "input" are input, the others except
 * `total` output, and each generation's `total` is their sum.
 */
function expectedTotals(files: Json[]): Expected {
  const expected: Expected = {
    generations: 0,
    skipped: 0,
    inputTokens: 0n,
    cachedInputTokens: 0n,
    outputTokens: 0n,
    totalTokens: 0n,
    providerCostPico: 0n,
  };

  for (const file of files) {
    for (const observation of file.observations) {
      const usage: Json = observation.usageDetails ?? {};
      const cost: Json = observation.costDetails ?? {};
      const hasUsage =
        Object.keys(usage).length > 0 || Object.keys(cost).length > 0;
      if (observation.type !== 'GENERATION' || !hasUsage) {
        expected.skipped += 1;
        continue;
      }

      expected.generations += 1;
      for (const [key, count] of Object.entries(usage)) {
        if (key === 'total') {
          expected.totalTokens += BigInt(count);
        } else if (key.includes('input') || key.startsWith('prompt')) {
          expected.inputTokens += BigInt(count);
          if (key.includes('cache_read')) {
            expected.cachedInputTokens += BigInt(count);
          }
        } else {
          expected.outputTokens += BigInt(count);
        }
      }
      if (cost.total !== undefined) {
        expected.providerCostPico += toPico(cost.total);
      }
    }
  }
  return expected;
}

async function storedTotals(knex: Knex) {
  const rows = await knex('ai_cost_usage_records').select(
    'request_key',
    'task_id',
    'input_tokens',
    'cached_input_tokens',
    'output_tokens',
    'provider_cost',
  );
  const totals = {
    records: rows.length,
    inputTokens: 0n,
    cachedInputTokens: 0n,
    outputTokens: 0n,
    providerCostPico: 0n,
    taskIds: new Set<string>(),
  };
  for (const row of rows) {
    totals.inputTokens += BigInt(row.input_tokens);
    totals.cachedInputTokens += BigInt(row.cached_input_tokens);
    totals.outputTokens += BigInt(row.output_tokens);
    if (row.provider_cost !== null) {
      totals.providerCostPico += toPico(row.provider_cost);
    }
    totals.taskIds.add(row.task_id);
  }
  return totals;
}

describe('Langfuse trace exports', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });
  let paths: string[] = [];
  let files: Json[] = [];
  let expected: Expected;

  beforeAll(() => {
    const folder = dataPath(TRACE_FOLDER);
    paths = readdirSync(folder)
      .filter(name => name.endsWith('.trace.json'))
      .sort()
      .map(name => join(folder, name));
    files = paths.map(path => parseWithNumberText(readFileSync(path, 'utf8')));
    expected = expectedTotals(files);
  });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const store = await DatabaseUsageStore.create({ database });
    const priceStore = await DatabasePriceStore.create({ database });
    const logger = mockServices.rootLogger({ level: 'none' });
    const catalog = catalogServiceMock({ entities: [] });
    const resolver = new EntityResolver(catalog, mockServices.auth(), logger);
    const ingestor = new UsageIngestor({
      store,
      resolveEntity: attributes => resolver.resolve(attributes),
      getPriceBook: async () => new PriceBook({ prices: [] }),
    });

    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      catalog,
      store,
      priceStore,
      ingestor,
      currency: 'USD',
      azureTrace: {},
      logger,
    });
    // Mounted where the backend serves the plugin, as the CLI posts there.
    const app = express().use('/api/ai-cost', router).use(mockErrorHandler());
    return { app, knex };
  }

  /** Imports every file through the CLI, two observations per request. */
  async function importWithCli(app: express.Express) {
    const server = app.listen(0, '127.0.0.1');
    await new Promise(done => server.once('listening', done));
    const { port } = server.address() as AddressInfo;
    const outputs: string[] = [];

    try {
      for (const path of paths) {
        const { stdout } = await promisify(execFile)(process.execPath, [
          CLI,
          'import',
          path,
          '--format',
          'langfuse',
          '--chunk-lines',
          '2',
          '--url',
          `http://127.0.0.1:${port}`,
          '--token',
          mockCredentials.service.token(),
        ]);
        outputs.push(stdout);
      }
    } finally {
      await new Promise(done => server.close(done));
    }
    return outputs;
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let app: express.Express;
    let knex: Knex;
    let cliOutputs: string[];

    beforeAll(async () => {
      ({ app, knex } = await createApp(databaseId));
      cliOutputs = await importWithCli(app);
    });

    it('reads ten trace files', () => {
      expect(paths.length).toBe(10);
    });

    it('reports no rejected observation', () => {
      for (const output of cliOutputs) {
        expect(output).toMatch(/, 0 rejected,/);
      }
    });

    it('stores every generation with usage', async () => {
      const stored = await storedTotals(knex);

      expect(stored.records).toBe(expected.generations);
    });

    it('sums input tokens', async () => {
      const stored = await storedTotals(knex);

      expect(stored.inputTokens).toBe(expected.inputTokens);
    });

    it('sums cached input tokens', async () => {
      const stored = await storedTotals(knex);

      expect(stored.cachedInputTokens).toBe(expected.cachedInputTokens);
    });

    it('sums output tokens', async () => {
      const stored = await storedTotals(knex);

      expect(stored.outputTokens).toBe(expected.outputTokens);
    });

    it('matches usage totals of Langfuse', async () => {
      const stored = await storedTotals(knex);

      expect(stored.inputTokens + stored.outputTokens).toBe(
        expected.totalTokens,
      );
    });

    it('sums exact provider cost', async () => {
      const stored = await storedTotals(knex);

      expect(stored.providerCostPico).toBe(expected.providerCostPico);
    });

    it('keeps trace id as task', async () => {
      const stored = await storedTotals(knex);

      expect([...stored.taskIds].sort()).toEqual(
        files.map(file => file.trace.id).sort(),
      );
    });

    it('skips same records on whole-file import', async () => {
      let duplicates = 0;
      let skipped = 0;

      for (const path of paths) {
        const response = await request(app)
          .post('/api/ai-cost/usage?format=langfuse')
          .set('Content-Type', 'application/json')
          .send(readFileSync(path, 'utf8'));
        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(0);
        duplicates += response.body.duplicates;
        for (const count of response.body.skipped ?? []) {
          skipped += count.records;
        }
      }

      expect(duplicates).toBe(expected.generations);
      expect(skipped).toBe(expected.skipped);
    });
  });
});
