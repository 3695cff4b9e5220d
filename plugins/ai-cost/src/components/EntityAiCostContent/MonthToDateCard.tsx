import { Budget, EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  formatCount,
  formatDayRange,
  formatMoney,
  formatShare,
} from '../../format';
import { describeUnpriced } from '../common/UnpricedWarning';

/**
 * Share of a monthly budget that the month-to-date cost uses, or undefined
 * when the budget is for another period or in another currency.
 */
function describeBudgetUse(
  cost: string,
  currency: string,
  budget?: Budget,
): string | undefined {
  if (budget?.period !== 'month' || budget.currency !== currency) {
    return undefined;
  }

  const share = formatShare(cost, budget.amount);
  if (share === undefined) {
    return undefined;
  }
  return `${share} of the monthly budget of ${formatMoney(
    budget.amount,
    budget.currency,
  )}`;
}

/**
 * Cost from the first day of the current month to today, in the response's
 * time zone.
 */
export const MonthToDateCard = (props: {
  cost: EntityCostResponse;
  budget?: Budget;
}) => {
  const { monthToDate, currency, timeZone } = props.cost;
  const budgetUse = describeBudgetUse(monthToDate.cost, currency, props.budget);

  return (
    <InfoCard
      title="Month to date"
      subheader={formatDayRange(monthToDate.from, monthToDate.to, timeZone)}
    >
      <Typography
        variant="h3"
        data-testid="ai-cost-month-to-date"
        data-amount={monthToDate.cost}
      >
        {formatMoney(monthToDate.cost, currency)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {formatCount(monthToDate.requests)} requests
      </Typography>
      {monthToDate.unpricedRequests > 0 && (
        <Typography variant="body2" color="error">
          {describeUnpriced(monthToDate)}
        </Typography>
      )}
      {budgetUse && <Typography variant="body2">{budgetUse}</Typography>}
    </InfoCard>
  );
};
