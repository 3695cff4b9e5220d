import { readAiCostSettings } from '@ai-cost/plugin-ai-cost-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { formatCount, formatMoney } from '../../format';
import { useEntityCost } from '../../hooks/useEntityCost';
import { PhaseChip } from '../common/PhaseChip';
import { describeUnpriced } from '../common/UnpricedWarning';

const MonthToDate = (props: { entityRef: string }) => {
  const cost = useEntityCost(props.entityRef);

  if (cost.loading) {
    return <Progress />;
  }
  if (cost.error) {
    return <ResponseErrorPanel error={cost.error} />;
  }

  const { monthToDate, currency } = cost.value;
  if (cost.value.totals.requests === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No usage received yet
      </Typography>
    );
  }

  return (
    <>
      <Typography variant="overline" color="textSecondary" component="div">
        Month to date
      </Typography>
      <Typography
        variant="h4"
        data-testid="ai-cost-card-month-to-date"
        data-amount={monthToDate.cost}
      >
        {formatMoney(monthToDate.cost, currency)}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {formatCount(monthToDate.requests)} requests since {monthToDate.from}
      </Typography>
      {monthToDate.unpricedRequests > 0 && (
        <Typography variant="body2" color="error">
          {describeUnpriced(monthToDate)}
        </Typography>
      )}
    </>
  );
};

/**
 * Renders a card for the entity overview with the phase and the
 * month-to-date AI cost of the entity.
 *
 * @public
 */
export const EntityAiCostCard = () => {
  const { entity } = useEntity();
  const { settings } = readAiCostSettings(entity);

  return (
    <InfoCard title="AI cost" action={<PhaseChip phase={settings.phase} />}>
      <MonthToDate entityRef={stringifyEntityRef(entity)} />
    </InfoCard>
  );
};
