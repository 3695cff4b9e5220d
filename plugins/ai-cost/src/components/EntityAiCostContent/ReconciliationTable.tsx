import { ReconciliationRow } from '@ai-cost/plugin-ai-cost-common';
import {
  CodeSnippet,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { compareDecimal, formatMoney, formatPercent } from '../../format';
import { useEntityReconciliation } from '../../hooks/useBilling';

const TITLE = 'Estimated vs billed';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

type MonthRow = ReconciliationRow & { id: string };

const Amount = (props: {
  amount: string;
  currency: string;
  signed?: boolean;
}) => (
  <span style={NO_WRAP} data-amount={props.amount}>
    {formatMoney(props.amount, props.currency, { signed: props.signed })}
  </span>
);

const columns: TableColumn<MonthRow>[] = [
  { title: 'Month', field: 'month', highlight: true },
  { title: 'Currency', field: 'currency' },
  {
    title: 'Estimated',
    field: 'estimatedCost',
    type: 'numeric',
    sorting: false,
    render: row => (
      <Amount amount={row.estimatedCost} currency={row.currency} />
    ),
  },
  {
    title: 'Billed',
    field: 'billedCost',
    type: 'numeric',
    sorting: false,
    render: row => <Amount amount={row.billedCost} currency={row.currency} />,
  },
  {
    title: 'Difference',
    field: 'difference',
    type: 'numeric',
    sorting: false,
    render: row => (
      <Amount amount={row.difference} currency={row.currency} signed />
    ),
  },
  {
    title: 'Share of billed',
    field: 'differencePercentOfBilled',
    type: 'numeric',
    sorting: false,
    render: row => (
      <span style={NO_WRAP}>
        {formatPercent(row.differencePercentOfBilled, { signed: true })}
      </span>
    ),
  },
];

const NoBillingState = (props: { from: string; to: string }) => (
  <InfoCard title={TITLE}>
    <div data-testid="ai-cost-reconciliation-empty">
      <Typography variant="body1" paragraph>
        No FOCUS billing is imported for this entity from {props.from} to{' '}
        {props.to}, so there is no billed cost to compare the estimate with.
      </Typography>
      <Typography variant="body2" paragraph>
        Import a FOCUS cost export whose AI rows name this entity in a tag that{' '}
        <code>aiCost.billing.entityTags</code> lists (by default{' '}
        <code>backstage-entity</code> or <code>ai-cost-entity</code>):
      </Typography>
      <CodeSnippet language="shell" text="yarn ai-cost import-focus FILE" />
      <Typography variant="body2" style={{ marginTop: 16 }}>
        docs/billing.md describes the format, which rows count as AI cost and
        how tags map to entities.
      </Typography>
    </div>
  </InfoCard>
);

/**
 * Estimated cost from usage beside the FOCUS billed cost of one entity per
 * UTC month and currency. Without billed cost it shows how to import it.
 */
export const ReconciliationTable = (props: {
  entityRef: string;
  from: string;
  to: string;
}) => {
  const { entityRef, from, to } = props;
  const reconciliation = useEntityReconciliation(entityRef, from, to);

  if (reconciliation.loading) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (reconciliation.error) {
    return (
      <InfoCard title={TITLE}>
        <ResponseErrorPanel error={reconciliation.error} />
      </InfoCard>
    );
  }

  // NOTE: The response has a row for every month with usage, whose billed
  // cost is 0 without billing. A month whose credits cancel its charges
  // also sums to 0, so billed rows that add up to 0 in every month show
  // the empty state too.
  const { months } = reconciliation.value;
  const hasBilling = months.some(
    row => compareDecimal(row.billedCost, '0') !== 0,
  );
  if (!hasBilling) {
    return <NoBillingState from={from} to={to} />;
  }

  return (
    <div data-testid="ai-cost-reconciliation">
      <Table<MonthRow>
        title={TITLE}
        subtitle={`UTC months ${from} to ${to}. The difference is billed minus estimated cost.`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={months.map(row => ({
          ...row,
          id: `${row.month}/${row.currency}`,
        }))}
      />
    </div>
  );
};
