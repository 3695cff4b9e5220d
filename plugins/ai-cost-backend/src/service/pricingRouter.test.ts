import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  CORRECTED_PRICES,
  LIST_COSTS,
  LIST_PRICES,
  SUPPORT,
  USAGE,
  createPricingContext,
  currentPriceId,
  readStoredPricing,
} from '../__testUtils__/pricingFixtures';
import { aiCostPricesManagePermission } from '@ai-cost/plugin-ai-cost-common';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { createPricingRouter } from './pricingRouter';

jest.setTimeout(60_000);

const ADMIN = 'user:default/mock';

/** An override from app-config, which the API may list but not delete. */
const CONFIG_OVERRIDE = {
  provider: 'anthropic',
  effectiveFrom: '2026-01-01',
  discountPercent: '5',
};

const NOVEMBER_REPRICE = {
  from: '2026-11-10',
  to: '2026-11-15',
  entityRef: SUPPORT,
};

describe('createPricingRouter', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    async function createApp(
      options: {
        permissions?: PermissionsService;
        aiCost?: JsonObject;
      } = {},
    ) {
      const context = await createPricingContext(knex, {
        overrides: [CONFIG_OVERRIDE],
        ...options.aiCost,
      });
      const router = await createPricingRouter({
        httpAuth: mockServices.httpAuth(),
        permissions:
          options.permissions ??
          mockServices.permissions({ result: AuthorizeResult.ALLOW }),
        usageStore: context.usageStore,
        priceStore: context.priceStore,
        pricing: context.pricing,
        reportingCurrency: 'USD',
        repriceBatchSize: 2,
        logger: context.logger,
      });
      const app = express().use(router).use(mockErrorHandler());
      return { app, ...context };
    }

    async function auditActions(app: express.Express) {
      const response = await request(app).get('/audit');
      return response.body.items.map(
        (entry: { action: string }) => entry.action,
      );
    }

    describe('POST reprice', () => {
      let app: express.Express;
      let context: Awaited<ReturnType<typeof createApp>>;

      beforeEach(async () => {
        context = await createApp();
        ({ app } = context);
        await request(app).post('/prices').send(LIST_PRICES).expect(200);
        await context.ingestor.ingest({ records: USAGE, errors: [] });
        await request(app).post('/prices').send(CORRECTED_PRICES).expect(200);
      });

      it('keeps stored costs until called', async () => {
        const stored = await readStoredPricing(knex);

        expect(
          Object.fromEntries(
            Object.entries(stored).map(([key, value]) => [key, value.cost]),
          ),
        ).toEqual(LIST_COSTS);
      });

      it('returns what changed', async () => {
        const response = await request(app)
          .post('/reprice')
          .send(NOVEMBER_REPRICE);

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          from: '2026-11-10',
          to: '2026-11-15',
          entityRef: SUPPORT,
          provider: null,
          model: null,
          dryRun: false,
          currency: 'USD',
          records: 4,
          changed: 3,
          unchangedCount: 1,
          // 0.02 + 3.5 + 0.001605
          costBefore: '3.521605',
          // 0.016 + 2.8 + 0.001605 + 0.001
          costAfter: '2.818605',
          difference: '-0.703',
          unpricedBefore: 1,
          unpricedAfter: 0,
        });
      });

      it('names price versions of changes', async () => {
        const correctedId = await currentPriceId(context.priceStore, 'gpt-4o');
        const o3ProId = await currentPriceId(context.priceStore, 'o3-pro');
        const listId = (
          await context.priceStore.listPriceVersions({ includeRetired: true })
        ).find(version => version.model === 'gpt-4o' && version.retiredAt)!.id;

        const response = await request(app)
          .post('/reprice')
          .send(NOVEMBER_REPRICE);

        expect(response.body.byPriceVersion).toEqual([
          { fromPriceId: null, toPriceId: o3ProId, records: 1 },
          { fromPriceId: listId, toPriceId: correctedId, records: 2 },
        ]);
      });

      it('changes records in range only', async () => {
        await request(app).post('/reprice').send(NOVEMBER_REPRICE);
        const stored = await readStoredPricing(knex);

        expect(
          Object.fromEntries(
            Object.entries(stored).map(([key, value]) => [key, value.cost]),
          ),
        ).toEqual({
          r1: '16000000000',
          r2: '2800000000000',
          r3: LIST_COSTS.r3,
          r4: LIST_COSTS.r4,
          r5: '1000000000',
          r6: LIST_COSTS.r6,
        });
      });

      it('audits the change', async () => {
        await request(app).post('/reprice').send(NOVEMBER_REPRICE);
        const response = await request(app).get('/audit?limit=1');

        expect(response.body.items).toEqual([
          {
            id: expect.any(Number),
            occurredAt: expect.any(String),
            actor: ADMIN,
            action: 'usage.reprice',
            subject: `usage from 2026-11-10 to 2026-11-15 of ${SUPPORT}`,
            details: expect.objectContaining({
              records: 4,
              changed: 3,
              costBefore: '3.521605',
              costAfter: '2.818605',
              difference: '-0.703',
            }),
          },
        ]);
      });

      it('changes nothing on dry run', async () => {
        const response = await request(app)
          .post('/reprice')
          .send({ ...NOVEMBER_REPRICE, dryRun: true });
        const stored = await readStoredPricing(knex);

        expect(response.body.dryRun).toBe(true);
        expect(response.body.changed).toBe(3);
        expect(stored.r1.cost).toBe(LIST_COSTS.r1);
        expect(stored.r5.cost).toBeNull();
        expect(await auditActions(app)).not.toContain('usage.reprice');
      });

      it('filters by model', async () => {
        const response = await request(app)
          .post('/reprice')
          .send({ from: '2026-11-10', to: '2026-11-15', model: 'gpt-4o' });

        expect(response.body).toMatchObject({
          records: 3,
          changed: 3,
          // r1 + r2 + r6 = 0.02 + 3.5 + 0.0035
          costBefore: '3.5235',
          // 0.016 + 2.8 + 0.0028
          costAfter: '2.8188',
          difference: '-0.7047',
        });
      });

      it('accepts entity ref without kind', async () => {
        const response = await request(app).post('/reprice').send({
          from: '2026-11-10',
          to: '2026-11-15',
          entityRef: 'Support-Assistant',
          dryRun: true,
        });

        expect(response.body.entityRef).toBe(SUPPORT);
        expect(response.body.records).toBe(4);
      });

      it.each([
        [{}, 'Invalid from null; use a UTC day such as 2026-11-30'],
        [
          { from: '2026-11-10', to: '2026-02-30' },
          'Invalid to "2026-02-30"; use a UTC day such as 2026-11-30',
        ],
        [
          { from: '2026-11-15', to: '2026-11-10' },
          'Invalid range: from 2026-11-15 is after to 2026-11-10',
        ],
        [
          { from: '2026-11-10', to: '2026-11-15', dryRun: 'yes' },
          'Invalid dryRun "yes"; use true or false',
        ],
        [
          { from: '2026-11-10', to: '2026-11-15', entityRef: 'component:' },
          'Invalid entityRef "component:"; use an entity ref such as component:default/support-assistant',
        ],
        [
          { from: '2026-11-10', to: '2026-11-15', model: '' },
          'Invalid model ""; use the model name as usage records store it, or leave model out for all',
        ],
        [
          { from: '2026-11-10', to: '2026-11-15', day: '2026-11-12' },
          'Invalid field "day"; use from, to, entityRef, provider, model, dryRun',
        ],
      ])('returns 400 for %j', async (body, message) => {
        const response = await request(app).post('/reprice').send(body);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(message);
      });
    });

    describe('price overrides', () => {
      const DISCOUNT = {
        provider: 'openai',
        model: 'gpt-4o-mini',
        effectiveFrom: '2026-01-01',
        discountPercent: '10',
      };

      it('creates discount override', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .post('/price-overrides')
          .send(DISCOUNT);

        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          id: expect.any(Number),
          provider: 'openai',
          model: 'gpt-4o-mini',
          effectiveFrom: '2026-01-01T00:00:00.000Z',
          effectiveTo: null,
          discountPercent: '10',
          currency: null,
          schedules: null,
          sourceKind: 'api',
          createdAt: expect.any(String),
          createdBy: ADMIN,
        });
      });

      it('creates override with prices', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .post('/price-overrides')
          .send({
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: '2026-01-01',
            effectiveTo: '2027-01-01',
            prices: {
              currency: 'EUR',
              input: '2.00',
              output: '8.00',
              batch: { input: '1', output: '4' },
            },
          });

        expect(response.status).toBe(201);
        expect(response.body.effectiveTo).toBe('2027-01-01T00:00:00.000Z');
        expect(response.body.currency).toBe('EUR');
        expect(response.body.schedules).toEqual({
          standard: { rates: { input: '2', output: '8' }, tiers: [] },
          batch: { rates: { input: '1', output: '4' }, tiers: [] },
        });
      });

      it('records service subject as creator', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .post('/price-overrides')
          .set('Authorization', mockCredentials.service.header())
          .send(DISCOUNT);

        expect(response.body.createdBy).toBe('external:test-service');
      });

      it('lists config and API overrides', async () => {
        const { app } = await createApp();
        await request(app).post('/price-overrides').send(DISCOUNT);

        const response = await request(app).get('/price-overrides');

        expect(response.status).toBe(200);
        expect(
          response.body.items.map(
            (item: { provider: string; sourceKind: string }) => [
              item.provider,
              item.sourceKind,
            ],
          ),
        ).toEqual([
          ['anthropic', 'config'],
          ['openai', 'api'],
        ]);
      });

      it('prices new usage with the override', async () => {
        const { app, ingestor } = await createApp();
        await request(app).post('/prices').send(LIST_PRICES);
        const created = await request(app)
          .post('/price-overrides')
          .send(DISCOUNT);

        await ingestor.ingest({
          records: USAGE.filter(record => record.requestId === 'r3'),
          errors: [],
        });
        const row = await knex('ai_cost_usage_records')
          .where({ request_key: 'r3' })
          .first('cost_pico', 'override_id');

        // 0.001605 less 10 % = 0.0014445
        expect(String(row.cost_pico)).toBe('1444500000');
        expect(Number(row.override_id)).toBe(created.body.id);
      });

      it('audits creation and deletion', async () => {
        const { app } = await createApp();
        const created = await request(app)
          .post('/price-overrides')
          .send(DISCOUNT);

        await request(app)
          .delete(`/price-overrides/${created.body.id}`)
          .expect(204);
        const response = await request(app).get('/audit?limit=2');

        expect(
          response.body.items.map(
            (entry: { action: string; actor: string; subject: string }) => [
              entry.action,
              entry.actor,
              entry.subject,
            ],
          ),
        ).toEqual([
          ['override.delete', ADMIN, `override ${created.body.id}`],
          ['override.create', ADMIN, `override ${created.body.id}`],
        ]);
      });

      it('removes deleted override from list', async () => {
        const { app } = await createApp();
        const created = await request(app)
          .post('/price-overrides')
          .send(DISCOUNT);

        await request(app).delete(`/price-overrides/${created.body.id}`);
        const response = await request(app).get('/price-overrides');

        expect(
          response.body.items.map((item: { id: number }) => item.id),
        ).not.toContain(created.body.id);
      });

      it('returns 404 for unknown override', async () => {
        const { app } = await createApp();

        const response = await request(app).delete('/price-overrides/999');

        expect(response.status).toBe(404);
        expect(response.body.error.message).toBe(
          'No override 999; GET /price-overrides lists the current ones',
        );
      });

      it('returns 409 for config override', async () => {
        const { app } = await createApp();
        const list = await request(app).get('/price-overrides');
        const id = list.body.items[0].id;

        const response = await request(app).delete(`/price-overrides/${id}`);

        expect(response.status).toBe(409);
        expect(response.body.error.message).toBe(
          `Override ${id} comes from app-config; remove it from aiCost.overrides, because each start creates it again`,
        );
      });

      it('returns 400 for invalid id', async () => {
        const { app } = await createApp();

        const response = await request(app).delete('/price-overrides/abc');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid override id "abc"; use an id that GET /price-overrides lists',
        );
      });

      it.each([
        [
          { effectiveFrom: '2026-01-01', discountPercent: '10' },
          'Invalid override: provider is missing; give the provider id of the price catalog, such as openai',
        ],
        [
          { provider: 'openai', discountPercent: '10' },
          'Invalid override of openai/*: effectiveFrom is missing; give an ISO 8601 date such as 2026-01-01',
        ],
        [
          { provider: 'openai', effectiveFrom: '2026-01-01' },
          'Invalid override of openai/*: set either discountPercent or prices',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: '2026-01-01',
            discountPercent: '10',
            prices: { currency: 'USD', input: '1', output: '2' },
          },
          'Invalid override of openai/*: set either discountPercent or prices',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: '2026-01-01',
            discountPercent: '100.5',
          },
          'Invalid override of openai/*: discountPercent "100.5" is above 100',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: '2026-01-01',
            discountPercent: 15,
          },
          'Invalid override of openai/*: discountPercent 15 is not a percentage from 0 to 100 with at most 4 decimals; send a string such as "15" or "12.5"',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: '2026-06-01',
            effectiveTo: '2026-01-01',
            discountPercent: '10',
          },
          'Invalid override of openai/*: effectiveTo 2026-01-01 is not after effectiveFrom 2026-06-01',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: 'June',
            discountPercent: '10',
          },
          'Invalid price override of openai/* effectiveFrom "June"; use an ISO 8601 date such as 2026-01-31',
        ],
        [
          {
            provider: 'openai',
            model: 'gpt-4o',
            effectiveFrom: '2026-01-01',
            prices: { currency: 'USD', input: '-1', output: '2' },
          },
          'Invalid price openai/gpt-4o standard input: "-1"; use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"',
        ],
        [
          {
            provider: 'openai',
            effectiveFrom: '2026-01-01',
            discount: '10',
          },
          'Invalid override of openai/*: unknown field "discount"; use provider, model, effectiveFrom, effectiveTo, discountPercent, prices',
        ],
      ])('returns 400 for %j', async (body, message) => {
        const { app } = await createApp();

        const response = await request(app).post('/price-overrides').send(body);

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(message);
      });
    });

    describe('exchange rates', () => {
      const RATES = [
        { currency: 'GBP', date: '2026-11-01', rate: '1.27' },
        { currency: 'EUR', date: '2026-11-01', rate: '1.1' },
      ];

      it('stores rates', async () => {
        const { app } = await createApp();

        const response = await request(app).put('/exchange-rates').send(RATES);

        expect(response.status).toBe(200);
        expect(response.body).toEqual({ stored: 2, rejected: [] });
      });

      it('lists rates by currency', async () => {
        const { app } = await createApp();
        await request(app).put('/exchange-rates').send(RATES);

        const response = await request(app).get('/exchange-rates');

        expect(response.body).toEqual({
          reportingCurrency: 'USD',
          items: [RATES[1], RATES[0]],
        });
      });

      it('replaces rate of same day', async () => {
        const { app } = await createApp();
        await request(app).put('/exchange-rates').send(RATES);

        await request(app)
          .put('/exchange-rates')
          .send([{ currency: 'EUR', date: '2026-11-01', rate: '1.0842' }]);
        const response = await request(app).get('/exchange-rates');

        expect(response.body.items[0]).toEqual({
          currency: 'EUR',
          date: '2026-11-01',
          rate: '1.0842',
        });
      });

      it('audits the change', async () => {
        const { app } = await createApp();

        await request(app).put('/exchange-rates').send(RATES);
        const response = await request(app).get('/audit?limit=1');

        expect(response.body.items[0]).toMatchObject({
          actor: ADMIN,
          action: 'exchange-rates.upsert',
          details: { count: 2 },
        });
      });

      it('prices euro usage after repricing', async () => {
        const { app, ingestor } = await createApp();
        await request(app)
          .post('/prices')
          .send([
            {
              provider: 'mistral',
              model: 'mistral-large',
              effectiveFrom: '2025-01-01',
              currency: 'EUR',
              input: '1.00',
              output: '3.00',
            },
          ]);
        await ingestor.ingest({
          records: [
            {
              ...USAGE[1],
              requestId: 'eur-1',
              provider: 'mistral',
              model: 'mistral-large',
            },
          ],
          errors: [],
        });
        const before = await knex('ai_cost_usage_records')
          .where({ request_key: 'eur-1' })
          .first('unpriced_reason');

        await request(app).put('/exchange-rates').send(RATES);
        const reprice = await request(app)
          .post('/reprice')
          .send({ from: '2026-11-12', to: '2026-11-12' });

        expect(before.unpriced_reason).toBe(
          'no exchange rate from EUR to USD on 2026-11-12',
        );
        // (1,000,000 × 1.00 + 100,000 × 3.00) per million = 1.3 EUR; × 1.1
        expect(reprice.body.costAfter).toBe('1.43');
      });

      it('returns 400 listing rejected rates', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .put('/exchange-rates')
          .send([
            RATES[0],
            { currency: 'EUR', date: '2026-11-01', rate: '-1' },
            { currency: 'USD', date: '2026-11-01', rate: '1' },
            { ...RATES[0], rate: '1.28' },
          ]);

        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          error: {
            name: 'InputError',
            message:
              '3 of 4 exchange rate entries rejected and 1 accepted; first rejected entry 1: Invalid exchange rate EUR on 2026-11-01: rate "-1" is not a positive decimal with at most 10 decimals, such as "1.0842"',
          },
          stored: 1,
          rejected: [
            {
              index: 1,
              message:
                'Invalid exchange rate EUR on 2026-11-01: rate "-1" is not a positive decimal with at most 10 decimals, such as "1.0842"',
            },
            {
              index: 2,
              message:
                'Invalid exchange rate USD on 2026-11-01: USD is the reporting currency, whose rate is always 1',
            },
            {
              index: 3,
              message:
                'Invalid exchange rate GBP on 2026-11-01: entry 0 has the same currency and date',
            },
          ],
        });
      });

      it('keeps valid rates of rejected body', async () => {
        const { app } = await createApp();

        await request(app)
          .put('/exchange-rates')
          .send([RATES[0], { currency: 'EUR', date: 'today', rate: '1.1' }]);
        const response = await request(app).get('/exchange-rates');

        expect(response.body.items).toEqual([RATES[0]]);
      });

      it('returns 400 for number rate', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .put('/exchange-rates')
          .send([{ currency: 'EUR', date: '2026-11-01', rate: 1.1 }]);

        expect(response.status).toBe(400);
        expect(response.body.rejected[0].message).toBe(
          'Invalid exchange rate: rate 1.1 is not a string; send currency, date and rate as strings, such as {"currency": "EUR", "date": "2026-01-01", "rate": "1.0842"}',
        );
      });

      it('returns 400 for object body', async () => {
        const { app } = await createApp();

        const response = await request(app)
          .put('/exchange-rates')
          .send({ rates: RATES });

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid body; send a JSON array of exchange rates with Content-Type application/json',
        );
      });
    });

    describe('POST prices', () => {
      it('stores prices from the API', async () => {
        const { app, priceStore } = await createApp();

        const response = await request(app).post('/prices').send(LIST_PRICES);
        const versions = await priceStore.listPriceVersions();

        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          added: 2,
          changed: 0,
          unchanged: 0,
          rejected: [],
        });
        expect(
          versions.map(version => [version.model, version.sourceKind]),
        ).toEqual([
          ['gpt-4o', 'api'],
          ['gpt-4o-mini', 'api'],
        ]);
      });

      it('counts resent prices as unchanged', async () => {
        const { app } = await createApp();
        await request(app).post('/prices').send(LIST_PRICES);

        const response = await request(app).post('/prices').send(LIST_PRICES);

        expect(response.body).toEqual({
          added: 0,
          changed: 0,
          unchanged: 2,
          rejected: [],
        });
      });

      it('retires corrected version', async () => {
        const { app, priceStore } = await createApp();
        await request(app).post('/prices').send(LIST_PRICES);
        const listId = await currentPriceId(priceStore, 'gpt-4o');

        const response = await request(app)
          .post('/prices')
          .send(CORRECTED_PRICES);
        const all = await priceStore.listPriceVersions({
          includeRetired: true,
        });

        expect(response.body).toMatchObject({ added: 1, changed: 1 });
        expect(all.find(version => version.id === listId)?.retiredAt).toEqual(
          expect.any(String),
        );
      });

      it('audits the sync with the actor', async () => {
        const { app } = await createApp();

        await request(app).post('/prices').send(LIST_PRICES);
        const response = await request(app).get('/audit?limit=1');

        expect(response.body.items[0]).toMatchObject({
          actor: ADMIN,
          action: 'prices.sync',
          subject: 'prices from api',
        });
      });

      it('returns 400 listing rejected prices', async () => {
        const { app, priceStore } = await createApp();

        const response = await request(app)
          .post('/prices')
          .send([
            LIST_PRICES[0],
            { ...LIST_PRICES[1], output: 'free' },
            { ...LIST_PRICES[0], input: '3' },
            'gpt-4o',
          ]);
        const versions = await priceStore.listPriceVersions();

        expect(response.status).toBe(400);
        expect(response.body.rejected).toEqual([
          {
            index: 1,
            message:
              'Invalid price openai/gpt-4o-mini standard output: "free"; use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"',
          },
          {
            index: 2,
            message:
              'Invalid price openai/gpt-4o: entry 0 has the same provider, model and effectiveFrom 2024-05-13T00:00:00.000Z',
          },
          {
            index: 3,
            message:
              'Invalid body "gpt-4o"; send an object with provider, model and prices',
          },
        ]);
        expect(response.body.added).toBe(1);
        expect(versions.map(version => version.model)).toEqual(['gpt-4o']);
      });
    });

    describe('GET audit', () => {
      it('returns newest first', async () => {
        const { app } = await createApp();
        await request(app).post('/prices').send(LIST_PRICES);
        await request(app)
          .put('/exchange-rates')
          .send([{ currency: 'EUR', date: '2026-11-01', rate: '1.1' }]);

        expect(await auditActions(app)).toEqual([
          'exchange-rates.upsert',
          'prices.sync',
          'override.create',
        ]);
      });

      it('returns 400 for invalid limit', async () => {
        const { app } = await createApp();

        const response = await request(app).get('/audit?limit=0');

        expect(response.status).toBe(400);
        expect(response.body.error.message).toBe(
          'Invalid limit "0"; use a whole number from 1 to 1000',
        );
      });
    });

    describe('permission DENY', () => {
      let app: express.Express;
      let permissions: ReturnType<typeof mockServices.permissions.mock>;

      beforeAll(async () => {
        permissions = mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.DENY })),
        });
        ({ app } = await createApp({ permissions }));
      });

      it.each([
        ['post', '/price-overrides', 'change price overrides'],
        ['delete', '/price-overrides/1', 'change price overrides'],
        ['put', '/exchange-rates', 'change exchange rates'],
        ['post', '/prices', 'change prices'],
        ['get', '/audit', 'read the audit log'],
        ['post', '/reprice', 'reprice usage'],
      ] as const)('returns 403 for %s %s', async (method, path, action) => {
        const response = await request(app)[method](path).send({});

        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          `Not allowed to ${action}; this needs the permission ai-cost.prices.manage`,
        );
      });

      it('asks for the manage permission', async () => {
        permissions.authorize.mockClear();

        await request(app).post('/reprice').send({});

        expect(permissions.authorize).toHaveBeenCalledWith(
          [{ permission: aiCostPricesManagePermission }],
          expect.anything(),
        );
      });

      it('lists overrides without the permission', async () => {
        const response = await request(app).get('/price-overrides');

        expect(response.status).toBe(200);
        expect(response.body.items).toHaveLength(1);
      });

      it('lists rates without the permission', async () => {
        const response = await request(app).get('/exchange-rates');

        expect(response.status).toBe(200);
      });
    });
  });
});
