import { screen } from '@testing-library/react';
import {
  costResponse,
  emptyCostResponse,
  pilotEntity,
} from '../../__testUtils__/fixtures';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { EntityAiCostCard } from './EntityAiCostCard';

describe('EntityAiCostCard', () => {
  it('shows the phase', async () => {
    await renderWithEntity(<EntityAiCostCard />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(screen.getByTestId('ai-cost-phase')).toHaveTextContent('Pilot');
  });

  it('shows the month-to-date cost with the exact amount', async () => {
    await renderWithEntity(<EntityAiCostCard />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    const monthToDate = await screen.findByTestId('ai-cost-card-month-to-date');
    expect(monthToDate).toHaveTextContent('$1,234.57');
    expect(monthToDate).toHaveAttribute('data-amount', '1234.567891234');
  });

  it('shows unpriced requests as count and share', async () => {
    await renderWithEntity(<EntityAiCostCard />, {
      entity: pilotEntity,
      getEntityCost: async () => costResponse,
    });

    expect(
      await screen.findByText('100 unpriced (10.0%), not included in the cost'),
    ).toBeInTheDocument();
  });

  it('shows that no usage was received', async () => {
    await renderWithEntity(<EntityAiCostCard />, {
      entity: pilotEntity,
      getEntityCost: async () => emptyCostResponse,
    });

    expect(
      await screen.findByText('No usage received yet'),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderWithEntity(<EntityAiCostCard />, {
      entity: pilotEntity,
      getEntityCost: () => new Promise(() => {}),
    });

    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });
});
