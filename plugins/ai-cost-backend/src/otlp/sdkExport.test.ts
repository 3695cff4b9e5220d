import { execFile } from 'node:child_process';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { SUPPORT, createOtlpApp, storedUsage } from './__testUtils__/otlpApp';

jest.setTimeout(60_000);

const EXPORT_SCRIPT = join(__dirname, '__testUtils__', 'exportSpans.js');

/** Prices of gpt-4o in pico-USD per token: USD per million × 10^6. */
const INPUT = 2_500_000n;
const CACHED_INPUT = 1_250_000n;
const OUTPUT = 10_000_000n;

const REQUESTS = [
  { input: 1200, cached: 200, output: 300 },
  { input: 5000, cached: 0, output: 40 },
  { input: 800, cached: 800, output: 1 },
];

const EXPECTED_COST = REQUESTS.reduce(
  (sum, { input, cached, output }) =>
    sum +
    BigInt(input - cached) * INPUT +
    BigInt(cached) * CACHED_INPUT +
    BigInt(output) * OUTPUT,
  0n,
);

/** Three chat spans and an agent span whose usage is their sum. */
const SPANS = [
  {
    name: 'invoke_agent support',
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.usage.input_tokens': 7000,
      'gen_ai.usage.output_tokens': 341,
    },
  },
  ...REQUESTS.map(({ input, cached, output }) => ({
    name: 'chat gpt-4o',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.cache_read.input_tokens': cached,
      'gen_ai.usage.output_tokens': output,
    },
  })),
];

describe('OpenTelemetry SDK export', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: Server;
    let url: string;
    let knex: Knex;

    beforeEach(async () => {
      const created = await createOtlpApp(databases, databaseId);
      knex = created.knex;
      server = created.app.listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      url = `http://127.0.0.1:${port}/v1/traces`;
    });

    afterEach(async () => {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    });

    it.each(['json', 'protobuf'])(
      'stores spans from %s exporter',
      async encoding => {
        await promisify(execFile)(
          process.execPath,
          [
            EXPORT_SCRIPT,
            url,
            encoding,
            // Collectors authenticate as service principals.
            mockCredentials.service.header(),
            JSON.stringify(SPANS),
          ],
          { timeout: 30_000 },
        );

        const rows = await storedUsage(knex);
        const sum = (field: string) =>
          rows.reduce((total, row) => total + Number(row[field]), 0);

        // The agent span is not stored, so its tokens are not counted twice.
        expect(rows).toHaveLength(REQUESTS.length);
        expect(rows.map(row => row.entity_ref)).toEqual(
          REQUESTS.map(() => SUPPORT),
        );
        expect(rows.map(row => row.model)).toEqual(
          REQUESTS.map(() => 'gpt-4o-2024-08-06'),
        );
        expect(sum('input_tokens')).toBe(7000);
        expect(sum('cached_input_tokens')).toBe(1000);
        expect(sum('output_tokens')).toBe(341);
        expect(
          rows.reduce((total, row) => total + BigInt(row.cost_pico), 0n),
        ).toBe(EXPECTED_COST);
      },
    );
  });
});
