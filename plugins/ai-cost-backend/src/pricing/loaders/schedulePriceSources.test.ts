import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAiCostConfig } from '../../config';
import { DatabasePriceStore } from '../../database/DatabasePriceStore';
import { PricingService } from '../PricingService';
import { PriceSourceConfig } from './readPriceSources';
import { schedulePriceSources } from './schedulePriceSources';

jest.setTimeout(60_000);

const SHEET = {
  'gpt-4o': {
    litellm_provider: 'openai',
    input_cost_per_token: 2.5e-6,
    output_cost_per_token: 1e-5,
  },
  'claude-haiku-4-5': {
    litellm_provider: 'anthropic',
    input_cost_per_token: 1e-6,
    output_cost_per_token: 5e-6,
  },
};

// The store's behaviour on both databases is tested with the store; this
// test covers the wiring from the scheduler to the store, on SQLite.
describe('schedulePriceSources', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'price-sources-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function setUp() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabasePriceStore.create({
      database: { getClient: async () => knex },
    });
    const logger = mockServices.logger.mock();
    // The source's child logger is the mock itself, so calls can be checked.
    logger.child.mockReturnValue(logger);
    const pricing = new PricingService({
      store,
      config: readAiCostConfig(new ConfigReader({})),
      logger,
    });
    const scheduler = mockServices.scheduler();
    return { store, pricing, scheduler, logger };
  }

  async function litellmSource(
    sheet: unknown,
    name = 'litellm',
  ): Promise<PriceSourceConfig> {
    const file = join(folder, `${name}.json`);
    await writeFile(file, JSON.stringify(sheet));
    return {
      name,
      format: 'litellm',
      file,
      effectiveFrom: '2026-07-24',
      refresh: { hours: 6 },
    };
  }

  it('stores the prices at start-up', async () => {
    const { store, pricing, scheduler, logger } = await setUp();

    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [await litellmSource(SHEET)],
      logger,
    });

    const versions = await store.listPriceVersions();
    expect(
      versions.map(version => [
        version.provider,
        version.model,
        version.sourceKind,
      ]),
    ).toEqual([
      ['openai', 'gpt-4o', 'litellm'],
      ['anthropic', 'claude-haiku-4-5', 'litellm'],
    ]);
  });

  it('schedules a global task per source', async () => {
    const { pricing, scheduler, logger } = await setUp();

    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [await litellmSource(SHEET)],
      logger,
    });

    expect(await scheduler.getScheduledTasks()).toEqual([
      expect.objectContaining({
        id: 'ai-cost-price-source-litellm',
        scope: 'global',
      }),
    ]);
  });

  it('audits the load with the source name', async () => {
    const { store, pricing, scheduler, logger } = await setUp();

    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [await litellmSource(SHEET)],
      logger,
    });

    const [entry] = await store.listAudit();
    expect(entry.actor).toBe('price-source:litellm');
  });

  it('retires a changed price on the next run', async () => {
    const { store, pricing, scheduler, logger } = await setUp();
    const source = await litellmSource(SHEET);
    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [source],
      logger,
    });

    await writeFile(
      source.file!,
      JSON.stringify({
        ...SHEET,
        'gpt-4o': { ...SHEET['gpt-4o'], input_cost_per_token: 2e-6 },
      }),
    );
    await scheduler.triggerTask('ai-cost-price-source-litellm');

    const all = await store.listPriceVersions({ includeRetired: true });
    expect(
      all
        .filter(version => version.model === 'gpt-4o')
        .map(version => [
          version.schedules.standard.rates.input,
          version.retiredAt === undefined,
        ]),
    ).toEqual([
      [2_500_000n, false],
      [2_000_000n, true],
    ]);
  });

  it('drops invalid prices and keeps the rest', async () => {
    const { store, pricing, scheduler, logger } = await setUp();
    const source = await litellmSource({
      ...SHEET,
      'gpt-4o': { ...SHEET['gpt-4o'], litellm_provider: ' ' },
    });

    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [source],
      logger,
    });

    expect((await store.listPriceVersions()).map(v => v.model)).toEqual([
      'claude-haiku-4-5',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^1 invalid prices from .* dropped/),
    );
  });

  it('logs a source that cannot be read', async () => {
    const { store, pricing, scheduler, logger } = await setUp();

    await schedulePriceSources({
      scheduler,
      pricing,
      sources: [
        {
          name: 'missing',
          format: 'genai-prices',
          file: join(folder, 'missing.json'),
          refresh: { hours: 24 },
        },
      ],
      logger,
    });

    expect(await store.listPriceVersions()).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/failed; the stored prices are kept$/),
      expect.any(Error),
    );
  });
});
