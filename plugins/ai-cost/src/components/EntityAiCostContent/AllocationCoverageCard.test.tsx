import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  allocationResponse,
  costResponse,
  emptyAllocationResponse,
  pilotEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { AllocationCoverageCard } from './AllocationCoverageCard';

async function errorResponse(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const response = new Response(
    JSON.stringify({
      error: { name, message },
      request: { method: 'GET', url: '/allocation' },
      response: { statusCode: status },
    }),
    { status, headers: { 'Content-Type': 'application/json' } },
  );
  return ResponseError.fromResponse(response);
}

function renderCard(getAllocation: () => Promise<typeof allocationResponse>) {
  return renderWithEntity(
    <AllocationCoverageCard from="2025-10" to="2026-01" />,
    {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
      getAllocation,
    },
  );
}

async function findCurrency(currency: string): Promise<HTMLElement> {
  const blocks = await screen.findAllByTestId('ai-cost-allocation');
  const block = blocks.find(
    element => element.getAttribute('data-currency') === currency,
  );
  if (!block) {
    throw new Error(`No allocation block for ${currency}`);
  }
  return block;
}

describe('AllocationCoverageCard', () => {
  it('requests the given months', async () => {
    const getAllocation = jest.fn(async () => allocationResponse);

    await renderCard(getAllocation);

    expect(getAllocation).toHaveBeenCalledWith({
      from: '2025-10',
      to: '2026-01',
    });
  });

  it('shows the combined coverage per currency', async () => {
    await renderCard(async () => allocationResponse);

    const usd = await findCurrency('USD');
    const coverage = within(usd).getByTestId('ai-cost-allocation-coverage');
    expect(coverage).toHaveTextContent('78.02%');
    expect(coverage).toHaveAttribute('data-percent', '78.02');
  });

  it('keeps currencies apart', async () => {
    await renderCard(async () => allocationResponse);

    const eur = await findCurrency('EUR');
    expect(
      within(eur).getByTestId('ai-cost-allocation-coverage'),
    ).toHaveTextContent('100.00%');
    expect(within(eur).getByText('of the AI cost in EUR')).toBeInTheDocument();
  });

  it('shows allocated and unallocated usage', async () => {
    await renderCard(async () => allocationResponse);

    const usd = await findCurrency('USD');
    const row = within(usd).getByTestId('ai-cost-allocation-usage');
    expect(within(row).getByText('$1,500.12')).toHaveAttribute(
      'data-amount',
      '1500.123456789',
    );
    expect(within(row).getByText('$499.88')).toHaveAttribute(
      'data-amount',
      '499.876543211',
    );
    expect(within(row).getByText('75.01%')).toBeInTheDocument();
  });

  it('shows mapped and unmapped billing', async () => {
    await renderCard(async () => allocationResponse);

    const usd = await findCurrency('USD');
    const row = within(usd).getByTestId('ai-cost-allocation-billing');
    expect(within(row).getByText('$1,620.50')).toBeInTheDocument();
    expect(within(row).getByText('$379.50')).toBeInTheDocument();
    expect(within(row).getByText('81.03%')).toBeInTheDocument();
  });

  it('shows missing billing coverage as dash', async () => {
    await renderCard(async () => allocationResponse);

    const eur = await findCurrency('EUR');
    const row = within(eur).getByTestId('ai-cost-allocation-billing');
    expect(within(row).getAllByText('€0.00')).toHaveLength(2);
    expect(within(row).getByText('–')).toBeInTheDocument();
  });

  it('explains what the figure means', async () => {
    await renderCard(async () => allocationResponse);

    expect(
      await screen.findByText(
        'Cost owned by catalog entities divided by all AI cost seen, from priced usage and FOCUS billing of all entities.',
      ),
    ).toBeInTheDocument();
  });

  it('counts allocated and unallocated requests', async () => {
    await renderCard(async () => allocationResponse);

    expect(
      await screen.findByTestId('ai-cost-allocation-requests'),
    ).toHaveTextContent('1,350 requests matched an entity, 420 matched none.');
  });

  it('shows a note without cost', async () => {
    await renderCard(async () => emptyAllocationResponse);

    expect(
      await screen.findByTestId('ai-cost-allocation-empty'),
    ).toHaveTextContent(
      'No priced usage and no FOCUS billed cost from 2025-10 to 2026-01, so there is no coverage to show.',
    );
    expect(
      screen.queryByTestId('ai-cost-allocation-coverage'),
    ).not.toBeInTheDocument();
  });

  it('shows a note on 403', async () => {
    const error = await errorResponse(
      403,
      'NotAllowedError',
      'Not allowed to read the cost allocation of all entities; this needs the permission ai-cost.portfolio.read',
    );

    await renderCard(async () => {
      throw error;
    });

    expect(
      await screen.findByTestId('ai-cost-allocation-forbidden'),
    ).toHaveTextContent(
      'Allocation coverage sums the cost of all entities and needs the permission ai-cost.portfolio.read, which you do not have.',
    );
    expect(screen.queryByText(/NotAllowedError/)).not.toBeInTheDocument();
  });

  it('shows other errors with their message', async () => {
    const error = await errorResponse(
      400,
      'InputError',
      'Invalid range: from 2026-02 is after to 2026-01',
    );

    await renderCard(async () => {
      throw error;
    });

    expect(
      await screen.findAllByText(
        /Invalid range: from 2026-02 is after to 2026-01/,
      ),
    ).not.toHaveLength(0);
    expect(
      screen.queryByTestId('ai-cost-allocation-forbidden'),
    ).not.toBeInTheDocument();
  });
});
