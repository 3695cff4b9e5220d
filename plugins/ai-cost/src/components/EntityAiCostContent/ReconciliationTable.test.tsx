import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import {
  costResponse,
  pilotEntity,
  reconciliationResponse,
  unbilledReconciliationResponse,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { ReconciliationTable } from './ReconciliationTable';

function renderTable(
  getEntityReconciliation: () => Promise<typeof reconciliationResponse>,
) {
  return renderWithEntity(
    <ReconciliationTable
      entityRef="component:default/support-assistant"
      from="2025-10"
      to="2026-01"
    />,
    {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
      getEntityReconciliation,
    },
  );
}

async function findMonthRow(month: string): Promise<HTMLElement> {
  const cell = await screen.findByText(month);
  return cell.closest('tr')!;
}

describe('ReconciliationTable', () => {
  it('requests the entity and months', async () => {
    const getEntityReconciliation = jest.fn(async () => reconciliationResponse);

    await renderTable(getEntityReconciliation);

    expect(getEntityReconciliation).toHaveBeenCalledWith(
      'component:default/support-assistant',
      { from: '2025-10', to: '2026-01' },
    );
  });

  it('shows a month billed above estimate', async () => {
    await renderTable(async () => reconciliationResponse);

    const row = await findMonthRow('2025-12');
    expect(within(row).getByText('$265.56')).toHaveAttribute(
      'data-amount',
      '265.555565555',
    );
    expect(within(row).getByText('$280.25')).toBeInTheDocument();
    expect(within(row).getByText('+$14.69')).toHaveAttribute(
      'data-amount',
      '14.694434445',
    );
    expect(within(row).getByText('+5.24%')).toBeInTheDocument();
  });

  it('shows a month billed below estimate', async () => {
    await renderTable(async () => reconciliationResponse);

    const row = await findMonthRow('2026-01');
    expect(within(row).getByText('$1,234.57')).toBeInTheDocument();
    expect(within(row).getByText('$1,200.00')).toBeInTheDocument();
    expect(within(row).getByText('-$34.57')).toBeInTheDocument();
    expect(within(row).getByText('-2.88%')).toBeInTheDocument();
  });

  it('lists months in response order', async () => {
    await renderTable(async () => reconciliationResponse);

    const table = await screen.findByTestId('ai-cost-reconciliation');
    const months = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => row.querySelectorAll('td')[0]?.textContent);
    expect(months).toEqual(['2025-12', '2026-01']);
  });

  it('shows import steps without months', async () => {
    await renderTable(async () => ({
      ...reconciliationResponse,
      months: [],
    }));

    const empty = await screen.findByTestId('ai-cost-reconciliation-empty');
    expect(empty).toHaveTextContent(
      'No FOCUS billing is imported for this entity from 2025-10 to 2026-01',
    );
    expect(
      within(empty).getByText('yarn ai-cost import-focus FILE'),
    ).toBeInTheDocument();
    expect(empty).toHaveTextContent('docs/billing.md');
  });

  it('shows import steps without billed cost', async () => {
    await renderTable(async () => unbilledReconciliationResponse);

    expect(
      await screen.findByTestId('ai-cost-reconciliation-empty'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('ai-cost-reconciliation'),
    ).not.toBeInTheDocument();
  });

  it('shows the message of a failed request', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message:
              'No entity component:default/support-assistant in the catalog',
          },
          request: { method: 'GET', url: '/entities/component/default/x' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      ),
    );

    await renderTable(async () => {
      throw error;
    });

    expect(
      await screen.findAllByText(
        /No entity component:default\/support-assistant in the catalog/,
      ),
    ).not.toHaveLength(0);
  });
});
