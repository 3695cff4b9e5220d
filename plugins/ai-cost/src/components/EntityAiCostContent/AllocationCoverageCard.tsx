import {
  AllocationCoverage,
  AllocationResponse,
} from '@ai-cost/plugin-ai-cost-common';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatCount, formatMoney, formatPercent } from '../../format';
import { useAllocation } from '../../hooks/useBilling';

/** Permission that the allocation route checks, as the backend names it. */
const PORTFOLIO_READ_PERMISSION = 'ai-cost.portfolio.read';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const CostRow = (props: {
  label: string;
  owned: string;
  notOwned: string;
  percent: string | null;
  currency: string;
  testId: string;
}) => (
  <TableRow data-testid={props.testId}>
    <TableCell component="th" scope="row">
      {props.label}
    </TableCell>
    <TableCell align="right" style={NO_WRAP} data-amount={props.owned}>
      {formatMoney(props.owned, props.currency)}
    </TableCell>
    <TableCell align="right" style={NO_WRAP} data-amount={props.notOwned}>
      {formatMoney(props.notOwned, props.currency)}
    </TableCell>
    <TableCell align="right" style={NO_WRAP}>
      {formatPercent(props.percent)}
    </TableCell>
  </TableRow>
);

/** Coverage of one currency: the combined figure, then usage and billing. */
const CurrencyCoverage = (props: { coverage: AllocationCoverage }) => {
  const { coverage } = props;
  const { currency } = coverage;

  return (
    <div data-testid="ai-cost-allocation" data-currency={currency}>
      <Typography
        variant="h3"
        data-testid="ai-cost-allocation-coverage"
        data-percent={coverage.coveragePercent ?? ''}
      >
        {formatPercent(coverage.coveragePercent)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        of the AI cost in {currency}
      </Typography>
      <Table size="small" aria-label={`Allocation of the cost in ${currency}`}>
        <TableHead>
          <TableRow>
            <TableCell />
            <TableCell align="right">Owned</TableCell>
            <TableCell align="right" style={NO_WRAP}>
              Not owned
            </TableCell>
            <TableCell align="right">Coverage</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <CostRow
            label="Usage"
            owned={coverage.allocatedUsageCost}
            notOwned={coverage.unallocatedUsageCost}
            percent={coverage.usageCoveragePercent}
            currency={currency}
            testId="ai-cost-allocation-usage"
          />
          <CostRow
            label="Billing"
            owned={coverage.mappedBilledCost}
            notOwned={coverage.unmappedBilledCost}
            percent={coverage.billingCoveragePercent}
            currency={currency}
            testId="ai-cost-allocation-billing"
          />
        </TableBody>
      </Table>
    </div>
  );
};

const AllocationFigures = (props: { allocation: AllocationResponse }) => {
  const { allocation } = props;
  const hasCost = allocation.currencies.some(
    coverage => coverage.coveragePercent !== null,
  );

  if (!hasCost) {
    return (
      <Typography variant="body2" data-testid="ai-cost-allocation-empty">
        No priced usage and no FOCUS billed cost from {allocation.from} to{' '}
        {allocation.to}, so there is no coverage to show.
      </Typography>
    );
  }

  return (
    <>
      <Typography variant="body2" paragraph>
        Cost owned by catalog entities divided by all AI cost seen, from priced
        usage and FOCUS billing of all entities.
      </Typography>
      {allocation.currencies.map(coverage => (
        <CurrencyCoverage key={coverage.currency} coverage={coverage} />
      ))}
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ marginTop: 8 }}
        data-testid="ai-cost-allocation-requests"
      >
        {formatCount(allocation.allocatedRequests)} requests matched an entity,{' '}
        {formatCount(allocation.unallocatedRequests)} matched none.
      </Typography>
    </>
  );
};

/**
 * Allocation coverage of all entities over a range of UTC months, per
 * currency. Without the permission to read all entities it shows a note
 * instead of an error.
 */
export const AllocationCoverageCard = (props: { from: string; to: string }) => {
  const { from, to } = props;
  const allocation = useAllocation(from, to);

  let content;
  if (allocation.loading) {
    content = <Progress />;
  } else if (allocation.error && isForbidden(allocation.error)) {
    content = (
      <Typography variant="body2" data-testid="ai-cost-allocation-forbidden">
        Allocation coverage sums the cost of all entities and needs the
        permission <code>{PORTFOLIO_READ_PERMISSION}</code>, which you do not
        have.
      </Typography>
    );
  } else if (allocation.error) {
    content = <ResponseErrorPanel error={allocation.error} />;
  } else {
    content = <AllocationFigures allocation={allocation.value} />;
  }

  return (
    <InfoCard
      title="Allocation coverage"
      subheader={`All entities, UTC months ${from} to ${to}`}
    >
      {content}
    </InfoCard>
  );
};

function isForbidden(error: Error): boolean {
  return error instanceof ResponseError && error.statusCode === 403;
}
