import {
  Budget,
  EntityCostResponse,
  readAiCostSettings,
} from '@ai-cost/plugin-ai-cost-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Alert from '@material-ui/lab/Alert';
import { AnnotationProblemsPanel } from '../common/AnnotationProblemsPanel';
import { UnpricedWarning } from '../common/UnpricedWarning';
import { useEntityCost } from '../../hooks/useEntityCost';
import { AiCostSettingsCard } from './AiCostSettingsCard';
import { AllocationCoverageCard } from './AllocationCoverageCard';
import { DailyCostChart } from './DailyCostChart';
import { ModelCostTable } from './ModelCostTable';
import { MonthToDateCard } from './MonthToDateCard';
import { NoUsageEmptyState } from './NoUsageEmptyState';
import { ReconciliationTable } from './ReconciliationTable';

/** Renders the figures of an entity that has usage in the range. */
const CostFigures = (props: { cost: EntityCostResponse; budget?: Budget }) => {
  const { cost, budget } = props;

  // The backend moves the range back to the last usage when the entity has
  // none in the requested days, so the range can end before today.
  const endsBeforeToday = cost.to < cost.monthToDate.to;

  return (
    <>
      {endsBeforeToday && (
        <Grid item xs={12}>
          <Alert severity="info" data-testid="ai-cost-earlier-range">
            No usage since {cost.lastUsageDate}. The figures below cover the
            days up to then, {cost.from} to {cost.to}.
          </Alert>
        </Grid>
      )}
      {cost.totals.unpricedRequests > 0 && (
        <Grid item xs={12}>
          <UnpricedWarning
            totals={cost.totals}
            period={`from ${cost.from} to ${cost.to}`}
            models={cost.byModel}
          />
        </Grid>
      )}
      <Grid item xs={12} md={4}>
        <MonthToDateCard cost={cost} budget={budget} />
      </Grid>
      <Grid item xs={12} md={8}>
        <DailyCostChart cost={cost} />
      </Grid>
      <Grid item xs={12}>
        <ModelCostTable cost={cost} />
      </Grid>
    </>
  );
};

/**
 * Renders the allocation coverage of all entities and the estimated and
 * billed cost of this entity over the months of the cost range.
 */
const BillingFigures = (props: {
  cost: EntityCostResponse;
  entityRef: string;
}) => {
  // Billing is summed per UTC month. The months of the range's local days
  // pick which months to show. On the first or last day of a month, the
  // local month can differ from the UTC month of the same instant.
  const from = props.cost.from.slice(0, 7);
  const to = props.cost.to.slice(0, 7);

  return (
    <>
      <Grid item xs={12} md={5}>
        <AllocationCoverageCard from={from} to={to} />
      </Grid>
      <Grid item xs={12} md={7}>
        <ReconciliationTable entityRef={props.entityRef} from={from} to={to} />
      </Grid>
    </>
  );
};

/**
 * Renders the AI cost tab of an entity page: settings from the annotations,
 * the month-to-date cost, the daily cost, the cost of each model, the
 * allocation coverage of all entities and the estimated vs billed cost.
 *
 * @public
 */
export const EntityAiCostContent = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { settings, problems } = readAiCostSettings(entity);
  const cost = useEntityCost(entityRef);
  const hasUsage = cost.value !== undefined && cost.value.totals.requests > 0;

  return (
    <Grid container spacing={3}>
      {problems.length > 0 && (
        <Grid item xs={12}>
          <AnnotationProblemsPanel problems={problems} />
        </Grid>
      )}
      <Grid item xs={12}>
        <AiCostSettingsCard settings={settings} />
      </Grid>
      {cost.loading && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      {cost.error && (
        <Grid item xs={12}>
          <ResponseErrorPanel error={cost.error} />
        </Grid>
      )}
      {cost.value && !hasUsage && (
        <Grid item xs={12}>
          <NoUsageEmptyState entityRef={entityRef} />
        </Grid>
      )}
      {cost.value && hasUsage && (
        <CostFigures cost={cost.value} budget={settings.budget} />
      )}
      {cost.value && <BillingFigures cost={cost.value} entityRef={entityRef} />}
    </Grid>
  );
};
