import { EntityCostResponse, ModelCost } from '@ai-cost/plugin-ai-cost-common';
import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  compareDecimal,
  formatCount,
  formatDayRange,
  formatMoney,
  formatShare,
} from '../../format';
import { PriceVersionCell, UnpricedCell } from './ModelPricingCells';

type ModelRow = ModelCost & { id: string };

const CostCell = (props: { row: ModelRow; currency: string }) => {
  const { row, currency } = props;

  // A model without any priced request has an unknown cost, not a zero one.
  if (row.unpricedRequests === row.requests) {
    return (
      <Typography variant="body2" color="error" component="span">
        Unpriced
      </Typography>
    );
  }

  return (
    <>
      <span data-amount={row.cost}>{formatMoney(row.cost, currency)}</span>
      {row.unpricedRequests > 0 && (
        <Typography variant="caption" color="error" component="div">
          + {formatCount(row.unpricedRequests)} unpriced
        </Typography>
      )}
    </>
  );
};

function buildColumns(
  currency: string,
  totalCost: string,
): TableColumn<ModelRow>[] {
  const count = (field: keyof ModelCost, title: string) => ({
    title,
    field,
    type: 'numeric' as const,
    render: (row: ModelRow) => formatCount(row[field] as number),
  });

  return [
    { title: 'Provider', field: 'provider' },
    { title: 'Model', field: 'model', highlight: true },
    count('requests', 'Requests'),
    count('inputTokens', 'Input tokens'),
    count('cachedInputTokens', 'Cached input tokens'),
    count('outputTokens', 'Output tokens'),
    {
      title: 'Cost',
      field: 'cost',
      type: 'numeric',
      defaultSort: 'desc',
      customSort: (a, b) => compareDecimal(a.cost, b.cost),
      render: row => <CostCell row={row} currency={currency} />,
    },
    {
      title: 'Share',
      field: 'cost',
      type: 'numeric',
      sorting: false,
      render: row => formatShare(row.cost, totalCost) ?? '–',
    },
    {
      title: 'Unpriced',
      field: 'unpricedRequests',
      render: row => <UnpricedCell row={row} />,
    },
    {
      title: 'Price version',
      field: 'priceVersions',
      sorting: false,
      render: row => <PriceVersionCell row={row} />,
    },
  ];
}

/**
 * Requests, tokens and cost per provider and model over the whole range,
 * with the unpriced volume and the price versions behind each cost.
 */
export const ModelCostTable = (props: { cost: EntityCostResponse }) => {
  const { byModel, currency, totals, from, to, timeZone } = props.cost;
  const rows = byModel.map(model => ({
    ...model,
    id: `${model.provider}/${model.model}`,
  }));

  return (
    <Table<ModelRow>
      title="Cost by model"
      subtitle={formatDayRange(from, to, timeZone)}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={buildColumns(currency, totals.cost)}
      data={rows}
    />
  );
};
