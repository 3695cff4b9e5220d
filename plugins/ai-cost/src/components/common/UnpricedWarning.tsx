import {
  ModelCost,
  UnpricedVolume,
  UsageTotals,
} from '@ai-cost/plugin-ai-cost-common';
import Alert from '@material-ui/lab/Alert';
import { formatCount, formatCountWithShare, formatShare } from '../../format';

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
 * Count and share of the requests without a price, with their tokens and,
 * per model, the reasons. Their cost is unknown, so the amounts next to
 * this warning leave them out. Renders nothing when every request has a
 * price.
 */
export const UnpricedWarning = (props: {
  totals: UsageTotals & UnpricedVolume;
  period: string;
  models?: ModelCost[];
}) => {
  const { totals, period } = props;
  if (totals.unpricedRequests === 0) {
    return null;
  }

  const count = formatCount(totals.unpricedRequests);
  const noun = totals.unpricedRequests === 1 ? 'request' : 'requests';
  const share = formatShare(totals.unpricedRequests, totals.requests);
  const unpricedModels = (props.models ?? []).filter(
    model => model.unpricedRequests > 0,
  );

  return (
    <Alert severity="warning" data-testid="ai-cost-unpriced">
      {count} {noun} unpriced ({share}) {period}, with{' '}
      {formatCountWithShare(totals.unpricedInputTokens, totals.inputTokens)}{' '}
      input and{' '}
      {formatCountWithShare(totals.unpricedOutputTokens, totals.outputTokens)}{' '}
      output tokens. The costs shown leave them out; add prices for their models
      to include them.
      {unpricedModels.length > 0 && (
        <ul data-testid="ai-cost-unpriced-models">
          {unpricedModels.map(model => (
            <li key={`${model.provider}/${model.model}`}>
              {model.provider}/{model.model}: {describeReasons(model)}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
};

/** Reasons with their request counts, such as `no price for model (150)`. */
function describeReasons(model: ModelCost): string {
  return model.unpricedReasons
    .map(item => `${item.reason} (${formatCount(item.requests)})`)
    .join(', ');
}
