import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { PermissionsService } from '@backstage/backend-plugin-api';
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
import { Knex } from 'knex';
import request from 'supertest';
import { DatabasePriceStore } from '../database/DatabasePriceStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { EntityResolver } from '../ingest/EntityResolver';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { PriceBook } from '../pricing/PriceBook';
import { PriceInput, parsePriceInput } from '../pricing/priceSheet';
import { createRouter } from './router';

jest.setTimeout(60_000);

const SUPPORT = 'component:default/support-assistant';
const CODE = 'component:default/code-completion';

function component(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'support-ai' },
  } satisfies Entity;
}

const ENTITIES = [
  component('support-assistant', {
    'ai-cost.io/usage-selector': 'service.name=support-assistant',
  }),
  component('code-completion'),
];

const PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-05-13',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10',
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    effectiveFrom: '2024-07-18',
    currency: 'USD',
    input: '0.15',
    output: '0.60',
  },
];

const NOW = new Date('2026-11-18T12:00:00Z');

/**
 * Four requests of the support assistant. Costs per request, with prices
 * per million tokens:
 * - 2,000 uncached × 2.50 + 8,000 cached × 1.25 + 500 × 10 = 0.005 + 0.01
 *   + 0.005 = 0.02
 * - 3,100 × 0.15 + 1,900 × 0.60 = 0.000465 + 0.00114 = 0.001605
 * - 1,000,000 × 2.50 + 100,000 × 10 = 2.5 + 1 = 3.5
 * - o3-pro has no price: unpriced, not zero.
 */
const SUPPORT_RECORDS = [
  {
    timestamp: '2026-11-17T10:00:00Z',
    entityRef: SUPPORT,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 10_000,
    cachedInputTokens: 8_000,
    outputTokens: 500,
    requestId: 'req-1',
  },
  {
    timestamp: '2026-11-18T09:00:00Z',
    entityRef: SUPPORT,
    provider: 'openai',
    model: 'gpt-4o-mini',
    inputTokens: 3_100,
    outputTokens: 1_900,
    requestId: 'req-2',
  },
  {
    timestamp: '2026-11-18T09:30:00Z',
    entityRef: SUPPORT,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 1_000_000,
    outputTokens: 100_000,
    requestId: 'req-3',
  },
  {
    timestamp: '2026-11-18T10:00:00Z',
    entityRef: SUPPORT,
    provider: 'openai',
    model: 'o3-pro',
    inputTokens: 10,
    outputTokens: 10,
    requestId: 'req-4',
  },
];

const CSV_HEADER =
  'timestamp,entityRef,service,provider,model,inputTokens,cachedInputTokens,outputTokens,requestId,taskId,taskOutcome';

describe('createRouter', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createApp(
    databaseId: TestDatabaseId,
    permissions: PermissionsService = mockServices.permissions({
      result: AuthorizeResult.ALLOW,
    }),
  ): Promise<{
    app: express.Express;
    knex: Knex;
    priceStore: DatabasePriceStore;
  }> {
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
    // entities from memory.
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const resolver = new EntityResolver(catalog, mockServices.auth(), logger);
    const ingestor = new UsageIngestor({
      store,
      resolveEntity: attributes => resolver.resolve(attributes),
      getPriceBook: async () => priceBook,
    });

    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalog,
      store,
      priceStore,
      ingestor,
      currency: 'USD',
      azureTrace: {
        code: {
          entityRef: CODE,
          provider: 'azure',
          model: 'gpt-4o-mini',
        },
      },
      logger,
      now: () => NOW,
    });
    const app = express().use(router).use(mockErrorHandler());
    return { app, knex, priceStore };
  }

  function getCost(app: express.Express, ref = SUPPORT, query = '') {
    const [kind, rest] = ref.split(':');
    return request(app).get(`/entities/${kind}/${rest}/cost${query}`);
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('GET cost', () => {
      let app: express.Express;

      beforeAll(async () => {
        ({ app } = await createApp(databaseId));
        await request(app).post('/usage').send(SUPPORT_RECORDS).expect(200);
      });

      it('returns totals', async () => {
        const response = await getCost(app);

        expect(response.status).toBe(200);
        expect(response.body.totals).toEqual({
          requests: 4,
          inputTokens: 10_000 + 3_100 + 1_000_000 + 10,
          cachedInputTokens: 8_000,
          outputTokens: 500 + 1_900 + 100_000 + 10,
          unpricedRequests: 1,
          // 0.02 + 0.001605 + 3.5
          cost: '3.521605',
          // The tokens of the o3-pro request.
          unpricedInputTokens: 10,
          unpricedOutputTokens: 10,
        });
      });

      it('returns daily costs', async () => {
        const response = await getCost(app);

        expect(response.body.daily).toEqual([
          {
            date: '2026-11-17',
            requests: 1,
            inputTokens: 10_000,
            cachedInputTokens: 8_000,
            outputTokens: 500,
            unpricedRequests: 0,
            cost: '0.02',
          },
          {
            date: '2026-11-18',
            requests: 3,
            inputTokens: 3_100 + 1_000_000 + 10,
            cachedInputTokens: 0,
            outputTokens: 1_900 + 100_000 + 10,
            unpricedRequests: 1,
            // 0.001605 + 3.5
            cost: '3.501605',
          },
        ]);
      });

      it('returns costs per model', async () => {
        const response = await getCost(app);

        expect(
          response.body.byModel.map(
            (model: { model: string; requests: number; cost: string }) => [
              model.model,
              model.requests,
              model.cost,
            ],
          ),
        ).toEqual([
          ['gpt-4o', 2, '3.52'],
          ['gpt-4o-mini', 1, '0.001605'],
          ['o3-pro', 1, '0'],
        ]);
      });

      it('returns range and currency', async () => {
        const response = await getCost(app);

        expect(response.body.entityRef).toBe(SUPPORT);
        expect(response.body.currency).toBe('USD');
        // 90 days up to 2026-11-18 start on 2026-08-21.
        expect(response.body.from).toBe('2026-08-21');
        expect(response.body.to).toBe('2026-11-18');
        expect(response.body.monthToDate.cost).toBe('3.521605');
      });

      it('matches entity ref in any case', async () => {
        const response = await getCost(
          app,
          'Component:Default/Support-Assistant',
        );

        expect(response.status).toBe(200);
        expect(response.body.totals.cost).toBe('3.521605');
      });

      it('applies from and to', async () => {
        const response = await getCost(
          app,
          SUPPORT,
          '?from=2026-11-17&to=2026-11-17',
        );

        expect(response.body.totals.cost).toBe('0.02');
      });

      it('counts local days of time zone', async () => {
        // Kiritimati is UTC+14: its 2026-11-18 runs from 10:00 UTC on the
        // 17th to 10:00 UTC on the 18th, so req-4 falls on the 19th.
        const response = await getCost(
          app,
          SUPPORT,
          '?from=2026-11-17&to=2026-11-18&timeZone=Pacific/Kiritimati',
        );

        expect(response.status).toBe(200);
        expect(response.body.timeZone).toBe('Pacific/Kiritimati');
        expect(
          response.body.daily.map((day: { date: string }) => day.date),
        ).toEqual(['2026-11-18']);
        expect(response.body.totals.requests).toBe(3);
        expect(response.body.totals.cost).toBe('3.521605');
      });

      it('returns 400 for unknown time zone', async () => {
        const response = await getCost(app, SUPPORT, '?timeZone=Berlin');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid time zone "Berlin"; use an IANA name such as Europe/Berlin or America/New_York',
        );
      });

      it('returns 400 for slash in kind', async () => {
        const response = await request(app).get(
          '/entities/component%2Fdefault/default/support-assistant/cost',
        );

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid kind "component/default"; use letters, digits, ".", "_" or "-", as in /entities/component/default/support-assistant/cost',
        );
      });

      it('returns 400 for impossible day', async () => {
        const response = await getCost(app, SUPPORT, '?from=2026-02-30');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid from "2026-02-30"; use a day such as 2026-11-30',
        );
      });

      it('returns 404 for unknown entity', async () => {
        const response = await getCost(app, 'component:default/unknown');

        expect(response.status).toBe(404);
        expect(response.body.error.message).toBe(
          'No entity component:default/unknown in the catalog',
        );
      });

      it.each([
        [
          '?from=2026-13',
          'Invalid from "2026-13"; use a day such as 2026-11-30',
        ],
        [
          '?to=18.11.2026',
          'Invalid to "18.11.2026"; use a day such as 2026-11-30',
        ],
        [
          '?from=2026-11-18&to=2026-11-01',
          'Invalid range: from 2026-11-18 is after to 2026-11-01',
        ],
        ['?days=0', 'Invalid days "0"; use a whole number from 1 to 3660'],
      ])('returns 400 for %s', async (query, message) => {
        const response = await getCost(app, SUPPORT, query);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(message);
      });
    });

    describe('POST usage', () => {
      it('accepts JSON array', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage')
          .send(SUPPORT_RECORDS);

        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          accepted: 4,
          duplicates: 0,
          unpriced: 1,
          unallocated: 0,
          rejected: [],
        });
      });

      it('malformed JSON is not echoed', async () => {
        const { app } = await createApp(databaseId);
        const body = `{"secret": "${'x'.repeat(100_000)}"`;

        const response = await request(app)
          .post('/usage')
          .set('content-type', 'application/json')
          .send(body);

        expect(response.status).toBe(400);
        expect(response.body.error.name).toBe('InputError');
        expect(response.body.error.message).toMatch(
          /^Request body is not valid JSON \(.*\); send JSON as application\/json, JSON Lines as application\/x-ndjson or CSV as text\/csv$/,
        );
        expect(response.body.body).toBeUndefined();
        expect(response.text.length).toBeLessThan(2_000);
      });

      it('accepts JSON records object', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage')
          .send({ records: SUPPORT_RECORDS.slice(0, 2) });

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(2);
      });

      it('accepts CSV', async () => {
        const { app } = await createApp(databaseId);
        const csv = [
          CSV_HEADER,
          `2026-11-17 10:00:00,${SUPPORT},,openai,gpt-4o,10000,8000,500,req-1,,`,
          `2026-11-18 09:00:00,${SUPPORT},,openai,gpt-4o-mini,3100,,1900,req-2,,`,
        ].join('\r\n');

        const response = await request(app)
          .post('/usage')
          .set('Content-Type', 'text/csv')
          .send(csv);
        const cost = await getCost(app);

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(2);
        // 0.02 + 0.001605
        expect(cost.body.totals.cost).toBe('0.021605');
      });

      it('accepts JSON Lines', async () => {
        const { app } = await createApp(databaseId);
        const jsonl = SUPPORT_RECORDS.map(record =>
          JSON.stringify(record),
        ).join('\n');

        const response = await request(app)
          .post('/usage')
          .set('Content-Type', 'application/x-ndjson')
          .send(jsonl);
        const cost = await getCost(app);

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(4);
        expect(cost.body.totals.cost).toBe('3.521605');
      });

      it('counts re-posted records as duplicates', async () => {
        const { app } = await createApp(databaseId);

        await request(app).post('/usage').send(SUPPORT_RECORDS);
        const response = await request(app)
          .post('/usage')
          .send(SUPPORT_RECORDS);
        const cost = await getCost(app);

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(0);
        expect(response.body.duplicates).toBe(4);
        expect(cost.body.totals.requests).toBe(4);
        expect(cost.body.totals.cost).toBe('3.521605');
      });

      it('dedupes CSV rows without ids', async () => {
        const { app } = await createApp(databaseId);
        const row = `2026-11-18 09:00:00,${SUPPORT},,openai,gpt-4o-mini,3100,,1900,,,`;
        const csv = [CSV_HEADER, row, row].join('\n');

        const first = await request(app)
          .post('/usage')
          .set('Content-Type', 'text/csv')
          .send(csv);
        const second = await request(app)
          .post('/usage')
          .set('Content-Type', 'text/csv')
          .send(csv);
        const cost = await getCost(app);

        expect(first.body.accepted).toBe(2);
        expect(second.body.duplicates).toBe(2);
        // Two identical requests of 0.001605 each.
        expect(cost.body.totals.cost).toBe('0.00321');
      });

      it('charges repeated batch job once', async () => {
        const { app } = await createApp(databaseId);
        const record = { ...SUPPORT_RECORDS[0], requestId: 'batch_req_abc123' };

        const responses = [];
        for (let retrieval = 0; retrieval < 4; retrieval++) {
          responses.push(await request(app).post('/usage').send([record]));
        }
        const cost = await getCost(app);

        expect(responses.map(response => response.body.accepted)).toEqual([
          1, 0, 0, 0,
        ]);
        expect(responses.map(response => response.body.duplicates)).toEqual([
          0, 1, 1, 1,
        ]);
        expect(cost.body.totals.requests).toBe(1);
        expect(cost.body.totals.cost).toBe('0.02');
      });

      it('stores call without usage unpriced', async () => {
        const { app } = await createApp(databaseId);
        const streamed = {
          timestamp: '2026-11-18T11:00:00Z',
          entityRef: SUPPORT,
          provider: 'openai',
          model: 'gpt-4o',
          requestId: 'stream-1',
        };

        const response = await request(app).post('/usage').send([streamed]);
        const cost = await getCost(app);

        expect(response.status).toBe(200);
        expect(response.body.unpriced).toBe(1);
        expect(cost.body.totals.requests).toBe(1);
        expect(cost.body.totals.unpricedRequests).toBe(1);
        expect(cost.body.totals.cost).toBe('0');
        expect(cost.body.byModel[0].unpricedReasons).toEqual([
          { reason: 'no usage reported', requests: 1 },
        ]);
      });

      describe('mixed batch', () => {
        const batch = [
          SUPPORT_RECORDS[0],
          { ...SUPPORT_RECORDS[1], cachedInputTokens: 4_000 },
          SUPPORT_RECORDS[2],
          { ...SUPPORT_RECORDS[3], timestamp: 'yesterday' },
        ];

        it('returns 400 naming record and field', async () => {
          const { app } = await createApp(databaseId);

          const response = await request(app).post('/usage').send(batch);

          expect(response.status).toBe(400);
          expect(response.body.error).toEqual({
            name: 'InputError',
            message:
              '2 records rejected, 2 stored and 0 duplicates skipped; first rejected record 1: cachedInputTokens = 4000 exceeds inputTokens 3100; inputTokens includes cachedInputTokens',
          });
        });

        it('lists rejected records', async () => {
          const { app } = await createApp(databaseId);

          const response = await request(app).post('/usage').send(batch);

          expect(response.body.rejected).toEqual([
            {
              record: 1,
              field: 'cachedInputTokens',
              message:
                'cachedInputTokens = 4000 exceeds inputTokens 3100; inputTokens includes cachedInputTokens',
            },
            {
              record: 3,
              field: 'timestamp',
              message:
                'timestamp "yesterday" is not an ISO 8601 date-time; use a form such as 2026-11-30T14:05:00Z (no zone means UTC)',
            },
          ]);
        });

        it('stores good records', async () => {
          const { app } = await createApp(databaseId);

          const response = await request(app).post('/usage').send(batch);
          const cost = await getCost(app);

          expect(response.body.accepted).toBe(2);
          expect(cost.body.totals.requests).toBe(2);
          // 0.02 + 3.5
          expect(cost.body.totals.cost).toBe('3.52');
        });

        it('names CSV line', async () => {
          const { app } = await createApp(databaseId);
          const csv = [
            CSV_HEADER,
            `2026-11-17 10:00:00,${SUPPORT},,openai,gpt-4o,10000,8000,500,req-1,,`,
            `2026-11-18 09:00:00,${SUPPORT},,openai,gpt-4o-mini,-3100,,1900,req-2,,`,
          ].join('\n');

          const response = await request(app)
            .post('/usage')
            .set('Content-Type', 'text/csv')
            .send(csv);

          expect(response.status).toBe(400);
          expect(response.body.rejected).toEqual([
            {
              record: 3,
              field: 'inputTokens',
              message:
                'inputTokens "-3100" is not a token count; use a whole number from 0 to 100000000',
            },
          ]);
          expect(response.body.accepted).toBe(1);
        });
      });

      it('returns 400 for unknown format', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage?format=xml')
          .send(SUPPORT_RECORDS);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid format "xml"; use one of normalized, azure-llm-trace, litellm-spend-logs, langfuse',
        );
      });

      it('returns 400 for unknown trace', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage?format=azure-llm-trace&trace=chat')
          .set('Content-Type', 'text/csv')
          .send('TIMESTAMP,ContextTokens,GeneratedTokens\n');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid trace "chat"; configure aiCost.azureTrace.chat with entityRef, provider and model, or use one of: code',
        );
      });

      it('returns 400 for bad lineOffset', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage?lineOffset=-1')
          .send(SUPPORT_RECORDS);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid lineOffset "-1"; use a whole number of lines sent before',
        );
      });

      it('returns 400 for unsupported content type', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage')
          .set('Content-Type', 'application/xml')
          .send('<usage/>');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Unsupported content type "application/xml"; send application/json, application/x-ndjson or text/csv',
        );
      });
    });

    describe('content type and repeats', () => {
      it('reads content type in any case', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage')
          .set('Content-Type', 'Text/CSV')
          .send(
            'timestamp,entityRef,provider,model,inputTokens,outputTokens,requestId\n2026-11-18T09:00:00Z,component:default/support-assistant,openai,gpt-4o-mini,3100,1900,case-1\n',
          );

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(1);
      });

      it('rejects unknown CSV column', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app)
          .post('/usage')
          .set('Content-Type', 'text/csv')
          .send(
            'timestamp,entityRef,provider,model,inputTokens,cached_input_tokens\n2026-11-18T09:00:00Z,component:default/support-assistant,openai,gpt-4o,1000,800\n',
          );

        expect(response.status).toBe(400);
        expect(response.body.accepted).toBe(0);
        expect(response.body.rejected[0].field).toBe('cached_input_tokens');
      });

      it('counts resent records only as duplicates', async () => {
        const { app } = await createApp(databaseId);
        const records = [
          {
            timestamp: '2026-11-18T09:05:00Z',
            service: 'unknown-service',
            provider: 'acme',
            model: 'no-price',
            inputTokens: 100,
            requestId: 'repeat-1',
          },
        ];

        await request(app).post('/usage').send(records).expect(200);
        const response = await request(app).post('/usage').send(records);

        expect(response.body.duplicates).toBe(1);
        expect(response.body.unpriced).toBe(0);
        expect(response.body.unallocated).toBe(0);
      });
    });

    describe('usage selector', () => {
      const records = [
        {
          timestamp: '2026-11-18T09:00:00Z',
          service: 'support-assistant',
          provider: 'openai',
          model: 'gpt-4o-mini',
          inputTokens: 3_100,
          outputTokens: 1_900,
          requestId: 'sel-1',
        },
        {
          timestamp: '2026-11-18T09:05:00Z',
          service: 'unknown-service',
          provider: 'openai',
          model: 'gpt-4o-mini',
          inputTokens: 100,
          outputTokens: 100,
          requestId: 'sel-2',
        },
      ];

      it('counts unmatched record as unallocated', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app).post('/usage').send(records);

        expect(response.status).toBe(200);
        expect(response.body.accepted).toBe(2);
        expect(response.body.unallocated).toBe(1);
      });

      it('assigns matching record to entity', async () => {
        const { app } = await createApp(databaseId);

        await request(app).post('/usage').send(records);
        const cost = await getCost(app);

        expect(cost.body.totals.requests).toBe(1);
        expect(cost.body.totals.cost).toBe('0.001605');
      });

      it('stores unmatched record without entity', async () => {
        const { app, knex } = await createApp(databaseId);

        await request(app).post('/usage').send(records);
        const rows = await knex('ai_cost_usage_records')
          .select('request_key', 'entity_ref', 'service')
          .orderBy('request_key');

        expect(rows).toEqual([
          {
            request_key: 'sel-1',
            entity_ref: SUPPORT,
            service: 'support-assistant',
          },
          {
            request_key: 'sel-2',
            entity_ref: null,
            service: 'unknown-service',
          },
        ]);
      });
    });

    describe('permission DENY', () => {
      let app: express.Express;

      beforeAll(async () => {
        ({ app } = await createApp(
          databaseId,
          mockServices.permissions({ result: AuthorizeResult.DENY }),
        ));
      });

      it('returns 403 for cost', async () => {
        const response = await getCost(app);

        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          `Not allowed to read the cost of ${SUPPORT}`,
        );
      });

      it('returns 403 for usage', async () => {
        const response = await request(app)
          .post('/usage')
          .send(SUPPORT_RECORDS);

        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          'Not allowed to send usage records',
        );
      });
    });

    describe('GET prices', () => {
      it('lists prices as decimals', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app).get('/prices');

        expect(response.status).toBe(200);
        expect(
          response.body.items.map(
            (item: {
              model: string;
              schedules: { standard: { rates: Record<string, string> } };
            }) => [item.model, item.schedules.standard.rates],
          ),
        ).toEqual([
          ['gpt-4o', { input: '2.5', cachedInput: '1.25', output: '10' }],
          ['gpt-4o-mini', { input: '0.15', output: '0.6' }],
        ]);
      });

      it('lists version fields', async () => {
        const { app } = await createApp(databaseId);

        const response = await request(app).get('/prices');

        expect(response.body.items[1]).toEqual({
          id: expect.any(Number),
          provider: 'openai',
          model: 'gpt-4o-mini',
          effectiveFrom: '2024-07-18T00:00:00.000Z',
          effectiveTo: null,
          currency: 'USD',
          dynamic: false,
          schedules: {
            standard: { rates: { input: '0.15', output: '0.6' }, tiers: [] },
          },
          source: null,
          sourceKind: 'config',
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          retiredAt: null,
        });
      });

      describe('after price change', () => {
        let app: express.Express;

        beforeAll(async () => {
          let priceStore: DatabasePriceStore;
          ({ app, priceStore } = await createApp(databaseId));
          await priceStore.syncPrices(
            [{ ...PRICES[0], input: '2.00' }, PRICES[1]].map(parsePriceInput),
            { sourceKind: 'config', actor: 'config' },
          );
        });

        it('lists current versions', async () => {
          const response = await request(app).get('/prices');

          expect(
            response.body.items.map(
              (item: { model: string; retiredAt: string | null }) => [
                item.model,
                item.retiredAt,
              ],
            ),
          ).toEqual([
            ['gpt-4o-mini', null],
            ['gpt-4o', null],
          ]);
        });

        it('lists retired versions on request', async () => {
          const response = await request(app).get(
            '/prices?includeRetired=true',
          );

          expect(
            response.body.items.map(
              (item: { model: string; retiredAt: string | null }) => [
                item.model,
                item.retiredAt === null ? 'current' : 'retired',
              ],
            ),
          ).toEqual([
            ['gpt-4o', 'retired'],
            ['gpt-4o-mini', 'current'],
            ['gpt-4o', 'current'],
          ]);
        });
      });
    });
  });
});
