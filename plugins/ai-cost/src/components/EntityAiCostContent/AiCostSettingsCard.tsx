import { AiCostSettings } from '@ai-cost/plugin-ai-cost-common';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { formatMoney } from '../../format';
import { PhaseChip } from '../common/PhaseChip';

const Field = (props: { label: string; children: ReactNode }) => (
  <Grid item xs={6} md={3}>
    <Typography variant="overline" color="textSecondary" component="div">
      {props.label}
    </Typography>
    <Typography variant="body1" component="div">
      {props.children}
    </Typography>
  </Grid>
);

const NotSet = () => (
  <Typography variant="body2" color="textSecondary" component="span">
    Not set
  </Typography>
);

/** Phase, cost owner, cost center and budget from the entity annotations. */
export const AiCostSettingsCard = (props: { settings: AiCostSettings }) => {
  const { phase, costOwner, costCenter, budget } = props.settings;

  return (
    <InfoCard title="AI cost">
      <Grid container spacing={2}>
        <Field label="Phase">
          <PhaseChip phase={phase} />
        </Field>
        <Field label="Cost owner">
          {costOwner ? <EntityRefLink entityRef={costOwner} /> : <NotSet />}
        </Field>
        <Field label="Cost center">{costCenter ?? <NotSet />}</Field>
        <Field label="Budget">
          {budget ? (
            `${formatMoney(budget.amount, budget.currency)} per ${
              budget.period
            }`
          ) : (
            <NotSet />
          )}
        </Field>
      </Grid>
    </InfoCard>
  );
};
