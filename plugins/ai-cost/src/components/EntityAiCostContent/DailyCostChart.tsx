import { DailyCost, EntityCostResponse } from '@ai-cost/plugin-ai-cost-common';
import { InfoCard } from '@backstage/core-components';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  TooltipProps,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount, formatDayRange, formatMoney } from '../../format';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ChartPoint {
  date: string;
  /** Cost as a float, used only for the bar height. */
  height: number;
  day?: DailyCost;
}

/**
 * Builds one point per day from `from` to `to`, inclusive. Days without
 * usage get a point without `day`, so that gaps show as empty days. The
 * dates are calendar days of the response's time zone, and UTC serves only
 * for the date arithmetic.
 */
export function buildPoints(cost: EntityCostResponse): ChartPoint[] {
  const byDate = new Map(cost.daily.map(day => [day.date, day]));
  const points: ChartPoint[] = [];
  const end = Date.parse(`${cost.to}T00:00:00Z`);

  for (let time = Date.parse(`${cost.from}T00:00:00Z`); time <= end; ) {
    const date = new Date(time).toISOString().slice(0, 10);
    const day = byDate.get(date);
    points.push({ date, height: day ? Number(day.cost) : 0, day });
    time += DAY_MS;
  }
  return points;
}

const DayTooltip = (
  props: TooltipProps<number, string> & { currency: string },
) => {
  const point = props.payload?.[0]?.payload as ChartPoint | undefined;
  if (!props.active || !point) {
    return null;
  }

  const { day } = point;
  return (
    <Paper style={{ padding: 8 }}>
      <Typography variant="subtitle2">{point.date}</Typography>
      {!day && <Typography variant="body2">No usage</Typography>}
      {day && (
        <Typography variant="body2">
          {formatMoney(day.cost, props.currency)}
          <br />
          {formatCount(day.requests)} requests
        </Typography>
      )}
      {day && day.unpricedRequests > 0 && (
        <Typography variant="body2" color="error">
          {formatCount(day.unpricedRequests)} unpriced
        </Typography>
      )}
    </Paper>
  );
};

/**
 * Renders a bar chart of the cost of each day in the response range, in the
 * response's time zone.
 */
export const DailyCostChart = (props: { cost: EntityCostResponse }) => {
  const { cost } = props;
  const theme = useTheme();
  const points = buildPoints(cost);
  const axisFormat = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: cost.currency,
    notation: 'compact',
  });

  return (
    <InfoCard
      title="Daily cost"
      subheader={formatDayRange(cost.from, cost.to, cost.timeZone)}
    >
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={points}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" minTickGap={24} />
          <YAxis tickFormatter={value => axisFormat.format(value)} width={64} />
          <Tooltip
            content={<DayTooltip currency={cost.currency} />}
            cursor={{ fill: theme.palette.action.hover }}
          />
          <Bar
            dataKey="height"
            name="Cost"
            fill={theme.palette.primary.main}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </InfoCard>
  );
};
