import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parse } from 'csv-parse/sync';
import express from 'express';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Knex } from 'knex';
import request from 'supertest';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { usageRecordRow } from '../__testUtils__/usageRows';
import { DEFAULT_BILLING_CONFIG } from '../billing/billingConfig';
import { DatabaseBillingStore } from '../billing/DatabaseBillingStore';
import { DatabaseUsageStore } from '../database/DatabaseUsageStore';
import { dataPath } from '../pricing/loaders/__testUtils__/dataDir';
import { createBillingRouter } from './billingRouter';

jest.setTimeout(60_000);

const SUPPORT = 'component:default/support-assistant';
const SAMPLE = 'focus-sample-data/focus_sample.odd-rows.csv';

const HEADER =
  'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,Tags';

/**
 * November 2026: support-assistant is billed 3.00 and credited 0.25, so
 * 2.75 in all. Another 0.25 has no entity tag. The storage row does not
 * count as AI cost.
 */
const FOCUS_CSV = [
  HEADER,
  '3.00,USD,Usage,2026-11-02 00:00:00,2026-11-03 00:00:00,Azure OpenAI,AI and Machine Learning,"{""backstage-entity"": ""support-assistant""}"',
  '-0.25,USD,Credit,2026-11-10 00:00:00,2026-11-11 00:00:00,Azure OpenAI,AI and Machine Learning,"{""backstage-entity"": ""component:default/support-assistant""}"',
  '0.25,USD,Usage,2026-11-12 00:00:00,2026-11-13 00:00:00,Azure OpenAI,AI and Machine Learning,NULL',
  '9.99,USD,Usage,2026-11-12 00:00:00,2026-11-13 00:00:00,Storage Accounts,Storage,NULL',
].join('\r\n');

const PICO = 1_000_000_000_000n;

function component(name: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'ai' },
  };
}

describe('createBillingRouter', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  async function createApp(
    databaseId: TestDatabaseId,
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ): Promise<{ app: express.Express; knex: Knex; router: express.Router }> {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex };
    const usageStore = await DatabaseUsageStore.create({ database });
    const store = await DatabaseBillingStore.create({ database });
    await knex('ai_cost_billing_records').delete();
    await knex('ai_cost_usage_records').delete();

    // Estimated: two support-assistant requests of 1.25 and one request
    // of 0.50 without an entity, all in November 2026.
    await usageStore.insertUsage([
      usageRecordRow('u1', { cost_pico: ((125n * PICO) / 100n).toString() }),
      usageRecordRow('u2', {
        usage_date: '2026-11-20',
        cost_pico: ((125n * PICO) / 100n).toString(),
      }),
      usageRecordRow('u3', {
        entity_ref: null,
        cost_pico: (PICO / 2n).toString(),
      }),
      usageRecordRow('u4', { usage_date: '2026-10-31', cost_pico: '7' }),
    ]);

    const router = await createBillingRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({ result }),
      catalog: catalogServiceMock({
        entities: [component('support-assistant')],
      }),
      store,
      config: DEFAULT_BILLING_CONFIG,
      getEstimated: (fromMonth, toMonth) =>
        usageStore.sumByEntityMonth(fromMonth, toMonth),
      usageStore,
      logger: mockServices.logger.mock(),
      now: () => new Date('2026-12-04T12:00:00Z'),
    });
    const app = express().use(router).use(mockErrorHandler());
    return { app, knex, router };
  }

  function postFocus(app: express.Express, body: string, source = 'nov.csv') {
    return request(app)
      .post(`/billing/focus?source=${source}`)
      .set('content-type', 'text/csv')
      .send(body);
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('import answers counts', async () => {
      const { app } = await createApp(databaseId);

      const response = await postFocus(app, FOCUS_CSV);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        focusVersion: '1.0',
        accepted: 3,
        duplicates: 0,
        skipped: 1,
        unmapped: 1,
        rejected: [],
        rejectedCount: 0,
      });
    });

    it('resent import gives duplicates', async () => {
      const { app, knex } = await createApp(databaseId);

      await postFocus(app, FOCUS_CSV);
      const response = await postFocus(app, FOCUS_CSV, 'again.csv');
      const sources = await knex('ai_cost_billing_records').distinct('source');

      expect(response.body).toMatchObject({ accepted: 0, duplicates: 3 });
      expect(sources).toEqual([{ source: 'nov.csv' }]);
    });

    it('all rows rejected is 400', async () => {
      const { app } = await createApp(databaseId);
      const body = `${HEADER}\n1,USD,Usage,2026-11-31,2026-12-01,Azure OpenAI,AI and Machine Learning,NULL\n`;

      const response = await postFocus(app, body);

      expect(response.status).toBe(400);
      expect(response.body.accepted).toBe(0);
      expect(response.body.rejected).toEqual([
        {
          record: 2,
          field: 'ChargePeriodStart',
          message: expect.stringContaining('"2026-11-31"'),
        },
      ]);
    });

    it('missing column is 400', async () => {
      const { app } = await createApp(databaseId);

      const response = await postFocus(app, 'BilledCost,ServiceName\n1,x\n');

      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain(
        'lacks column BillingCurrency, ChargeCategory, ChargePeriodStart, ChargePeriodEnd',
      );
    });

    it('JSON body is 400', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app)
        .post('/billing/focus')
        .send({ rows: [] });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('text/csv');
    });

    it('gzip import equals plain import', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app)
        .post('/billing/focus?source=nov.csv.gz')
        .set('content-type', 'text/csv')
        .set('content-encoding', 'gzip')
        .send(gzipSync(FOCUS_CSV));
      const again = await postFocus(app, FOCUS_CSV);

      expect(response.status).toBe(200);
      expect(response.body.accepted).toBe(3);
      expect(again.body.duplicates).toBe(3);
    });

    it('corrupt gzip is 400', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app)
        .post('/billing/focus')
        .set('content-type', 'text/csv')
        .set('content-encoding', 'gzip')
        .send(Buffer.from('not gzip at all'));

      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        'Invalid gzip body (Z_DATA_ERROR); send valid gzip data or the CSV uncompressed',
      );
    });

    it('unknown encoding is 400', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app)
        .post('/billing/focus')
        .set('content-type', 'text/csv')
        .set('content-encoding', 'br')
        .send(FOCUS_CSV);

      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        'Unsupported content encoding "br"; send the FOCUS export uncompressed or with gzip',
      );
    });

    it('database outage is 503', async () => {
      const { knex } = await createApp(databaseId);
      const usageStore = await DatabaseUsageStore.create({
        database: { getClient: async () => knex },
      });
      // A store that fails as PostgreSQL does while it shuts down; the
      // restart itself is exercised in postgresRestart.test.ts.
      const shutdown = Object.assign(
        new Error('terminating connection due to administrator command'),
        { code: '57P01' },
      );
      const failing = await DatabaseBillingStore.create({
        database: { getClient: async () => knex },
      });
      failing.insertBillingRecords = async () => {
        throw shutdown;
      };
      const router = await createBillingRouter({
        httpAuth: mockServices.httpAuth(),
        permissions: mockServices.permissions({
          result: AuthorizeResult.ALLOW,
        }),
        catalog: catalogServiceMock({ entities: [] }),
        store: failing,
        config: DEFAULT_BILLING_CONFIG,
        getEstimated: async () => [],
        usageStore,
        logger: mockServices.logger.mock(),
        retryAfterSeconds: 3,
      });
      const app = express().use(router).use(mockErrorHandler());

      const response = await postFocus(app, FOCUS_CSV);

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('3');
      expect(response.body.error.message).toBe(
        'The usage database is unavailable; retry after 3 seconds',
      );
    });

    it('denied import is 403', async () => {
      const { app } = await createApp(databaseId, AuthorizeResult.DENY);

      const response = await postFocus(app, FOCUS_CSV);

      expect(response.status).toBe(403);
    });

    it('portfolio reconciliation exact figures', async () => {
      const { app } = await createApp(databaseId);
      await postFocus(app, FOCUS_CSV);

      const response = await request(app).get(
        '/reconciliation?from=2026-11&to=2026-11',
      );

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: '2026-11',
        to: '2026-11',
        entities: [
          {
            entityRef: SUPPORT,
            month: '2026-11',
            currency: 'USD',
            estimatedCost: '2.5',
            billedCost: '2.75',
            // 0.25 / 2.75 = 9.0909 %.
            difference: '0.25',
            differencePercentOfBilled: '9.09',
          },
        ],
        unmapped: [
          {
            month: '2026-11',
            currency: 'USD',
            estimatedCost: '0.5',
            billedCost: '0.25',
          },
        ],
        totals: [
          {
            month: '2026-11',
            currency: 'USD',
            estimatedCost: '3',
            billedCost: '3',
            difference: '0',
            differencePercentOfBilled: '0.00',
            mappedBilledCost: '2.75',
            unmappedBilledCost: '0.25',
            // 2.75 / 3 = 91.666… %.
            allocationCoveragePercent: '91.67',
          },
        ],
      });
    });

    it('portfolio needs portfolio permission', async () => {
      const { app } = await createApp(databaseId, AuthorizeResult.DENY);

      const reconciliation = await request(app).get('/reconciliation');
      const allocation = await request(app).get('/allocation');

      expect(reconciliation.status).toBe(403);
      expect(allocation.status).toBe(403);
      expect(allocation.body.error.message).toBe(
        'Not allowed to read the cost allocation of all entities; this needs the permission ai-cost.portfolio.read',
      );
    });

    it('allocation combines usage and billing', async () => {
      const { app } = await createApp(databaseId);
      await postFocus(app, FOCUS_CSV);

      const response = await request(app).get('/allocation');

      // Usage: 1.25 + 1.25 + 7 pico-units owned, 0.50 not. Billing: 3.00
      // - 0.25 mapped, 0.25 unmapped; the storage row is not AI cost.
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        from: '2026-10',
        to: '2026-12',
        allocatedRequests: 3,
        unallocatedRequests: 1,
        currencies: [
          {
            currency: 'USD',
            allocatedUsageCost: '2.500000000007',
            unallocatedUsageCost: '0.5',
            mappedBilledCost: '2.75',
            unmappedBilledCost: '0.25',
            usageCoveragePercent: '83.33',
            billingCoveragePercent: '91.67',
            coveragePercent: '87.50',
          },
        ],
      });
    });

    it('entity reconciliation lists months', async () => {
      const { app } = await createApp(databaseId);
      await postFocus(app, FOCUS_CSV);

      const response = await request(app).get(
        '/entities/component/default/support-assistant/reconciliation?from=2026-10&to=2026-12',
      );

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        entityRef: SUPPORT,
        from: '2026-10',
        to: '2026-12',
        months: [
          {
            entityRef: SUPPORT,
            month: '2026-10',
            currency: 'USD',
            estimatedCost: '0.000000000007',
            billedCost: '0',
            difference: '-0.000000000007',
            differencePercentOfBilled: null,
          },
          {
            entityRef: SUPPORT,
            month: '2026-11',
            currency: 'USD',
            estimatedCost: '2.5',
            billedCost: '2.75',
            difference: '0.25',
            differencePercentOfBilled: '9.09',
          },
        ],
      });
    });

    it('default range ends this month', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app).get(
        '/entities/component/default/support-assistant/reconciliation',
      );

      expect(response.body.from).toBe('2026-10');
      expect(response.body.to).toBe('2026-12');
    });

    it('unknown entity is 404', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app).get(
        '/entities/component/default/missing/reconciliation',
      );

      expect(response.status).toBe(404);
    });

    it('invalid month is 400', async () => {
      const { app } = await createApp(databaseId);

      const response = await request(app).get('/reconciliation?from=2026-13');

      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('use a UTC month');
    });

    it('CLI streams file to server', async () => {
      const { knex, router } = await createApp(databaseId);
      // The CLI sends to the plugin's path under the backend's base URL.
      const server = express()
        .use('/api/ai-cost', router)
        .use(mockErrorHandler())
        .listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const rows: Array<Record<string, string>> = parse(
        readFileSync(dataPath(SAMPLE)),
        { columns: true },
      );
      const aiRows = rows.filter(
        row => row.ServiceCategory === 'AI and Machine Learning',
      );

      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            resolvePackagePath(
              '@ai-cost/plugin-ai-cost-backend',
              'bin/ai-cost',
            ),
            'import-focus',
            dataPath(SAMPLE),
            '--url',
            `http://127.0.0.1:${port}`,
            '--token',
            mockCredentials.service.token(),
            '--chunk-lines',
            '7',
          ],
          { env: { ...process.env, INIT_CWD: '' } },
        );
        const [{ count }] = await knex('ai_cost_billing_records')
          .where('source', 'focus_sample.odd-rows.csv')
          .count({ count: '*' });

        expect(stdout).toContain(
          `FOCUS 1.0, ${aiRows.length} stored, 0 duplicates skipped, ${
            rows.length - aiRows.length
          } not AI cost, ${aiRows.length} unmapped, 0 rejected`,
        );
        expect(Number(count)).toBe(aiRows.length);
      } finally {
        await new Promise(resolve => server.close(resolve));
      }
    });
  });
});
