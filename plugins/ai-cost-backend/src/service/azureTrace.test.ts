import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  TestDatabaseId,
  TestDatabases,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { EntityResolver } from '../ingest/EntityResolver';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { PriceBook } from '../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { createRouter } from './router';

jest.setTimeout(120_000);

// Trace of two Azure LLM inference services from the GitHub repository
// Azure/AzurePublicDataset, CC-BY-4.0, by Patel et al. ("Splitwise", ISCA
// 2024). Each row is one request with arrival time, context tokens and
// generated tokens.
const TRACE_FOLDER = 'azure-llm-inference-2023';

const TRACES = {
  code: {
    entityRef: 'component:default/code-completion',
    provider: 'azure',
    model: 'gpt-4o-mini',
    // $0.165 and $0.66 per million tokens. One dollar per million tokens is
    // 10^12 pico-units over 10^6 tokens, which is 10^6 pico-units per token.
    inputPicoPerToken: 165_000n,
    outputPicoPerToken: 660_000n,
  },
  conv: {
    entityRef: 'component:default/conversation-assistant',
    provider: 'azure',
    model: 'gpt-4o',
    // $2.50 and $10 per million tokens.
    inputPicoPerToken: 2_500_000n,
    outputPicoPerToken: 10_000_000n,
  },
};

type TraceName = keyof typeof TRACES;

const PRICES: PriceInput[] = [
  {
    provider: 'azure',
    model: 'gpt-4o-mini',
    effectiveFrom: '2023-01-01',
    currency: 'USD',
    input: '0.165',
    output: '0.66',
  },
  {
    provider: 'azure',
    model: 'gpt-4o',
    effectiveFrom: '2023-01-01',
    currency: 'USD',
    input: '2.50',
    output: '10',
  },
];

function readTrace(name: TraceName): string {
  const dataDir = process.env.AI_COST_DATA_DIR;
  if (!dataDir) {
    throw new Error(
      `AI_COST_DATA_DIR is not set; set it to the folder that contains ${TRACE_FOLDER}/`,
    );
  }
  return readFileSync(
    join(dataDir, TRACE_FOLDER, `AzureLLMInferenceTrace_${name}.csv`),
    'utf8',
  );
}

interface TraceFile {
  header: string;
  rows: string[];
}

function splitTrace(text: string): TraceFile {
  const [header, ...rows] = text.split(/\r?\n/).filter(line => line !== '');
  return { header, rows };
}

/** Totals of a trace, computed from the file without the plugin's code. */
function expectedTotals(name: TraceName, trace: TraceFile) {
  let inputTokens = 0n;
  let outputTokens = 0n;

  for (const row of trace.rows) {
    const [, context, generated] = row.split(',');
    inputTokens += BigInt(context);
    outputTokens += BigInt(generated);
  }

  const { inputPicoPerToken, outputPicoPerToken } = TRACES[name];
  return {
    requests: trace.rows.length,
    inputTokens,
    outputTokens,
    costPico:
      inputTokens * inputPicoPerToken + outputTokens * outputPicoPerToken,
  };
}

/** Reads a decimal amount such as "12.5" as pico-units. */
function toPico(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole) * 10n ** 12n + BigInt(fraction.padEnd(12, '0'));
}

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  };
}

describe('Azure trace import', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });
  const files = {} as Record<TraceName, TraceFile>;

  beforeAll(() => {
    files.code = splitTrace(readTrace('code'));
    files.conv = splitTrace(readTrace('conv'));
  });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const store = await DatabaseUsageStore.create({ database });
    const priceStore = await DatabasePriceStore.create({ database });
    await priceStore.syncPrices(PRICES.map(parsePriceInput), {
      sourceKind: 'config',
      actor: 'config',
    });
    const priceBook = new PriceBook({
      prices: await priceStore.listPriceVersions(),
    });
    const logger = mockServices.rootLogger({ level: 'none' });
    // The catalog backend does not run here: catalogServiceMock serves the
    // two components from memory.
    const catalog = catalogServiceMock({
      entities: [
        component('code-completion'),
        component('conversation-assistant'),
      ],
    });
    const resolver = new EntityResolver(catalog, mockServices.auth(), logger);
    const ingestor = new UsageIngestor({
      store,
      resolveEntity: attributes => resolver.resolve(attributes),
      getPriceBook: async () => priceBook,
    });

    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      catalog,
      store,
      priceStore,
      ingestor,
      currency: 'USD',
      azureTrace: {
        code: {
          entityRef: TRACES.code.entityRef,
          provider: TRACES.code.provider,
          model: TRACES.code.model,
        },
        conv: {
          entityRef: TRACES.conv.entityRef,
          provider: TRACES.conv.provider,
          model: TRACES.conv.model,
        },
      },
      logger,
      now: () => new Date('2026-11-18T12:00:00Z'),
    });
    return express().use(router).use(mockErrorHandler());
  }

  function postTrace(
    app: express.Express,
    name: TraceName,
    rows: string[],
    lineOffset = 0,
  ) {
    const body = [files[name].header, ...rows].join('\n');
    return request(app)
      .post(
        `/usage?format=azure-llm-trace&trace=${name}&lineOffset=${lineOffset}`,
      )
      .set('Content-Type', 'text/csv')
      .send(body);
  }

  async function getTotals(app: express.Express, name: TraceName) {
    const [, path] = TRACES[name].entityRef.split(':');
    const response = await request(app).get(`/entities/component/${path}/cost`);
    expect(response.status).toBe(200);
    return response.body.totals;
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe.each(['code', 'conv'] as const)('trace %s', name => {
      let app: express.Express;
      let firstImport: request.Response;

      beforeAll(async () => {
        app = await createApp(databaseId);
        firstImport = await postTrace(app, name, files[name].rows);
      });

      it('stores every row', () => {
        expect(firstImport.status).toBe(200);
        expect(firstImport.body).toEqual({
          accepted: files[name].rows.length,
          duplicates: 0,
          unpriced: 0,
          unallocated: 0,
          rejected: [],
        });
      });

      it('counts requests', async () => {
        const totals = await getTotals(app, name);

        expect(totals.requests).toBe(
          expectedTotals(name, files[name]).requests,
        );
      });

      it('sums input tokens', async () => {
        const totals = await getTotals(app, name);

        expect(BigInt(totals.inputTokens)).toBe(
          expectedTotals(name, files[name]).inputTokens,
        );
      });

      it('sums output tokens', async () => {
        const totals = await getTotals(app, name);

        expect(BigInt(totals.outputTokens)).toBe(
          expectedTotals(name, files[name]).outputTokens,
        );
      });

      it('sums exact cost', async () => {
        const totals = await getTotals(app, name);

        expect(toPico(totals.cost)).toBe(
          expectedTotals(name, files[name]).costPico,
        );
      });

      it('keeps totals on re-import', async () => {
        const before = await getTotals(app, name);

        const again = await postTrace(app, name, files[name].rows);
        const after = await getTotals(app, name);

        expect(again.body.accepted).toBe(0);
        expect(again.body.duplicates).toBe(files[name].rows.length);
        expect(after).toEqual(before);
      });
    });

    describe('trace in two chunks', () => {
      let app: express.Express;
      let chunks: request.Response[];

      beforeAll(async () => {
        app = await createApp(databaseId);
        const { rows } = files.code;
        const split = 2000;

        chunks = [
          await postTrace(app, 'code', rows.slice(0, split)),
          await postTrace(app, 'code', rows.slice(split), split),
        ];
      });

      it('stores both chunks', () => {
        expect(chunks.map(chunk => chunk.body.accepted)).toEqual([
          2000,
          files.code.rows.length - 2000,
        ]);
      });

      it('sums same totals as whole file', async () => {
        const expected = expectedTotals('code', files.code);

        const totals = await getTotals(app, 'code');

        expect(totals.requests).toBe(expected.requests);
        expect(BigInt(totals.inputTokens)).toBe(expected.inputTokens);
        expect(BigInt(totals.outputTokens)).toBe(expected.outputTokens);
        expect(toPico(totals.cost)).toBe(expected.costPico);
      });

      it('numbers lines as whole file', async () => {
        const whole = await postTrace(app, 'code', files.code.rows);

        expect(whole.body.accepted).toBe(0);
        expect(whole.body.duplicates).toBe(files.code.rows.length);
      });
    });
  });
});
