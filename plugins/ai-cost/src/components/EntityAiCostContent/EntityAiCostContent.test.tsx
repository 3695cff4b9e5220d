import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  allocationResponse,
  costResponse,
  emptyCostResponse,
  pilotEntity,
  reconciliationResponse,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { EntityAiCostContent } from './EntityAiCostContent';

async function notFoundError(): Promise<ResponseError> {
  const response = new Response(
    JSON.stringify({
      error: {
        name: 'NotFoundError',
        message: 'No entity component:default/support-assistant in the catalog',
      },
      request: { method: 'GET', url: '/entities/component/default/x/cost' },
      response: { statusCode: 404 },
    }),
    { status: 404, headers: { 'Content-Type': 'application/json' } },
  );
  return ResponseError.fromResponse(response);
}

describe('EntityAiCostContent', () => {
  it('shows progress while loading', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: () => new Promise(() => {}),
    });

    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('requests 90 days in the browser zone', async () => {
    const resolvedOptions = Intl.DateTimeFormat.prototype.resolvedOptions;
    const spy = jest
      .spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions')
      .mockImplementation(function resolvedInBerlin(this: Intl.DateTimeFormat) {
        return { ...resolvedOptions.call(this), timeZone: 'Europe/Berlin' };
      });
    const getEntityCost = jest.fn(async () => costResponse);

    try {
      await renderWithEntity(<EntityAiCostContent />, {
        entity: pilotEntity,
        getEntityCost,
      });
    } finally {
      spy.mockRestore();
    }

    expect(getEntityCost).toHaveBeenCalledWith(
      'component:default/support-assistant',
      { days: 90, timeZone: 'Europe/Berlin' },
    );
  });

  it('names the time zone of the days', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => ({
        ...costResponse,
        timeZone: 'America/New_York',
      }),
    });

    expect(
      await screen.findByText(
        '2026-01-01 to 2026-01-11 (days in America/New_York)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(
        '2025-10-14 to 2026-01-11 (days in America/New_York)',
      ),
    ).toHaveLength(2);
  });

  it('requests billing for the range months', async () => {
    const getAllocation = jest.fn(async () => allocationResponse);
    const getEntityReconciliation = jest.fn(async () => reconciliationResponse);

    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
      getAllocation,
      getEntityReconciliation,
    });

    // The range 2025-10-14 to 2026-01-11 touches four months.
    await screen.findByTestId('ai-cost-reconciliation');
    expect(getAllocation).toHaveBeenCalledWith({
      from: '2025-10',
      to: '2026-01',
    });
    expect(getEntityReconciliation).toHaveBeenCalledWith(
      'component:default/support-assistant',
      { from: '2025-10', to: '2026-01' },
    );
  });

  it('shows billing cards with usage', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
      getAllocation: async () => allocationResponse,
      getEntityReconciliation: async () => reconciliationResponse,
    });

    expect(await screen.findByText('Allocation coverage')).toBeInTheDocument();
    expect(
      await screen.findByTestId('ai-cost-reconciliation'),
    ).toHaveTextContent('Estimated vs billed');
  });

  it('shows billing cards without usage', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => emptyCostResponse,
    });

    expect(
      await screen.findByTestId('ai-cost-allocation-empty'),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId('ai-cost-reconciliation-empty'),
    ).toBeInTheDocument();
  });

  it('shows the settings from the annotations', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(screen.getByTestId('ai-cost-phase')).toHaveTextContent('Pilot');
    expect(screen.getByText('support-ai')).toBeInTheDocument();
    expect(screen.getByText('CC-4711')).toBeInTheDocument();
    expect(screen.getByText('$2,500.00 per month')).toBeInTheDocument();
  });

  it('shows the empty state without usage', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => emptyCostResponse,
    });

    expect(
      await screen.findByText('No usage received yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('POST /api/ai-cost/usage')).toBeInTheDocument();
    expect(
      screen.getByText(
        'yarn ai-cost import usage.csv --entity component:default/support-assistant',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/"Import usage"/)).toBeInTheDocument();
    expect(
      screen.queryByTestId('ai-cost-month-to-date'),
    ).not.toBeInTheDocument();
  });

  it('shows the message of a failed request', async () => {
    const error = await notFoundError();

    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => {
        throw error;
      },
    });

    expect(
      await screen.findAllByText(
        /No entity component:default\/support-assistant in the catalog/,
      ),
    ).not.toHaveLength(0);
  });

  it('shows the month-to-date cost with the exact amount', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const monthToDate = await screen.findByTestId('ai-cost-month-to-date');
    expect(monthToDate).toHaveTextContent('$1,234.57');
    expect(monthToDate).toHaveAttribute('data-amount', '1234.567891234');
  });

  it('notes a range that ends before today', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => ({
        ...costResponse,
        from: '2025-10-08',
        to: '2026-01-05',
      }),
    });

    expect(
      await screen.findByTestId('ai-cost-earlier-range'),
    ).toHaveTextContent(
      'No usage since 2026-01-05. The figures below cover the days up to then, 2025-10-08 to 2026-01-05.',
    );
  });

  it('shows no range note when the range ends today', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    await screen.findByTestId('ai-cost-month-to-date');
    expect(
      screen.queryByTestId('ai-cost-earlier-range'),
    ).not.toBeInTheDocument();
  });

  it('shows the month-to-date share of the budget', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(
      await screen.findByText('49.4% of the monthly budget of $2,500.00'),
    ).toBeInTheDocument();
  });

  it('shows month-to-date unpriced requests', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(
      await screen.findByText('100 unpriced (10.0%), not included in the cost'),
    ).toBeInTheDocument();
  });

  it('shows a row per model', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('gpt-4o')).closest('tr')!;
    expect(within(row).getByText('openai')).toBeInTheDocument();
    expect(within(row).getByText('1,000')).toBeInTheDocument();
    expect(within(row).getByText('2,000,000')).toBeInTheDocument();
    expect(within(row).getByText('400,000')).toBeInTheDocument();
    expect(within(row).getByText('300,000')).toBeInTheDocument();
    expect(within(row).getByText('$1,200.10')).toBeInTheDocument();
    expect(within(row).getByText('80.0%')).toBeInTheDocument();
  });

  it('sorts model rows by cost', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    await screen.findByText('gpt-4o');
    const models = screen
      .getAllByRole('row')
      .slice(1)
      .map(row => row.querySelectorAll('td')[1]?.textContent);
    expect(models).toEqual(['gpt-4o', 'claude-sonnet-4', 'in-house-7b']);
  });

  it('shows an unpriced model as unpriced, not $0', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('in-house-7b')).closest('tr')!;
    expect(within(row).getByText('Unpriced')).toBeInTheDocument();
    expect(within(row).queryByText('$0.00')).not.toBeInTheDocument();
  });

  it('shows unpriced volume of model', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('in-house-7b')).closest('tr')!;
    const unpriced = within(row).getByTestId('ai-cost-model-unpriced');
    expect(within(unpriced).getByText('150 requests (100.0%)')).toBeVisible();
    expect(
      within(unpriced).getByText(
        '300,000 (100.0%) input, 20,000 (100.0%) output tokens',
      ),
    ).toBeVisible();
    expect(within(unpriced).getByText('no price for model: 150')).toBeVisible();
  });

  it('shows partly unpriced model details', async () => {
    const [gpt4o, claude, inHouse] = costResponse.byModel;

    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => ({
        ...costResponse,
        byModel: [
          gpt4o,
          {
            ...claude,
            unpricedRequests: 35,
            unpricedInputTokens: 70000,
            unpricedOutputTokens: 4000,
            unpricedReasons: [
              { reason: 'dynamic price', requests: 25 },
              {
                reason: 'no exchange rate from EUR to USD on 2026-01-05',
                requests: 10,
              },
            ],
          },
          inHouse,
        ],
      }),
    });

    const row = (await screen.findByText('claude-sonnet-4')).closest('tr')!;
    expect(within(row).getByText('$300.02')).toBeInTheDocument();
    expect(within(row).getByText('+ 35 unpriced')).toBeInTheDocument();
    // 35 of 350 requests, 70,000 of 700,000 input and 4,000 of 80,000
    // output tokens.
    expect(within(row).getByText('35 requests (10.0%)')).toBeInTheDocument();
    expect(
      within(row).getByText('70,000 (10.0%) input, 4,000 (5.0%) output tokens'),
    ).toBeInTheDocument();
    expect(within(row).getByText('dynamic price: 25')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'no exchange rate from EUR to USD on 2026-01-05: 10',
      ),
    ).toBeInTheDocument();
  });

  it('shows no unpriced volume when priced', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('gpt-4o')).closest('tr')!;
    expect(
      within(row).queryByTestId('ai-cost-model-unpriced'),
    ).not.toBeInTheDocument();
  });

  it('shows price versions with date and source', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('gpt-4o')).closest('tr')!;
    const versions = within(row).getAllByTestId('ai-cost-price-version');
    expect(versions).toHaveLength(2);
    expect(versions[0]).toHaveTextContent(
      '#12 from 2024-05-13openai.com/api/pricing, 2025-12-01 · catalog',
    );
    expect(versions[1]).toHaveTextContent('#31 from 2025-12-15api');
  });

  it('shows version requests as tooltip', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const version = await screen.findByText('#12 from 2024-05-13');
    expect(version).toHaveAttribute(
      'title',
      '600 requests priced with price version 12',
    );
  });

  it('shows no version for unpriced model', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const row = (await screen.findByText('in-house-7b')).closest('tr')!;
    expect(
      within(row).queryByTestId('ai-cost-price-version'),
    ).not.toBeInTheDocument();
  });

  it('warns about unpriced requests with count and share', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(await screen.findByTestId('ai-cost-unpriced')).toHaveTextContent(
      '150 requests unpriced (10.0%) from 2025-10-14 to 2026-01-11',
    );
  });

  it('warns about unpriced tokens with their share', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    // 300,000 of 3,000,000 input and 20,000 of 400,000 output tokens.
    expect(await screen.findByTestId('ai-cost-unpriced')).toHaveTextContent(
      'with 300,000 (10.0%) input and 20,000 (5.0%) output tokens',
    );
  });

  it('lists unpriced models with reasons', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(
      await screen.findByTestId('ai-cost-unpriced-models'),
    ).toHaveTextContent('acme/in-house-7b: no price for model (150)');
  });

  it('shows no unpriced warning when all requests are priced', async () => {
    await renderWithEntity(<EntityAiCostContent />, {
      entity: pilotEntity,
      getEntityCost: async () => ({
        ...costResponse,
        totals: { ...costResponse.totals, unpricedRequests: 0 },
      }),
    });

    await screen.findByTestId('ai-cost-month-to-date');
    expect(screen.queryByTestId('ai-cost-unpriced')).not.toBeInTheDocument();
  });

  it('lists invalid annotations', async () => {
    const entity: Entity = {
      ...pilotEntity,
      metadata: {
        ...pilotEntity.metadata,
        annotations: {
          'ai-cost.io/phase': 'beta',
          'ai-cost.io/budget': '2500 USD',
        },
      },
    };

    await renderWithEntity(<EntityAiCostContent />, {
      entity,
      getEntityCost: async () => costResponse,
    });

    expect(
      screen.getByText(
        'Warning: 2 AI cost annotations are invalid and ignored',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/"beta" is not a phase/)).toBeInTheDocument();
    expect(screen.getByText(/"2500 USD" has no period/)).toBeInTheDocument();
  });
});
