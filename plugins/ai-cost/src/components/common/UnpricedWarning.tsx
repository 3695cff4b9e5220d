import { UsageTotals } from '@ai-cost/plugin-ai-cost-common';
import Alert from '@material-ui/lab/Alert';
import { formatCount, formatShare } from '../../format';

/**
 * Describes the unpriced requests of a period in one line, such as
 * `100 unpriced (10.0%), not included in the cost`.
 */
export function describeUnpriced(totals: UsageTotals): string {
  const count = formatCount(totals.unpricedRequests);
  const share = formatShare(totals.unpricedRequests, totals.requests);

  return `${count} unpriced (${share}), not included in the cost`;
}

/**
 * Count and share of the requests without a price. Their cost is unknown,
 * so the amounts next to this warning leave them out. Renders nothing when
 * every request has a price.
 */
export const UnpricedWarning = (props: {
  totals: UsageTotals;
  period: string;
}) => {
  const { totals, period } = props;
  if (totals.unpricedRequests === 0) {
    return null;
  }

  const count = formatCount(totals.unpricedRequests);
  const noun = totals.unpricedRequests === 1 ? 'request' : 'requests';
  const share = formatShare(totals.unpricedRequests, totals.requests);

  return (
    <Alert severity="warning" data-testid="ai-cost-unpriced">
      {count} {noun} unpriced ({share}) {period}. The costs shown leave them
      out; add prices for their models to include them.
    </Alert>
  );
};
