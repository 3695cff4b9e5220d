import { ModelCost } from '@ai-cost/plugin-ai-cost-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  formatCount,
  formatCountWithShare,
  formatInstant,
  formatShare,
} from '../../format';

/**
 * Renders the unpriced requests and tokens of a model with their shares of
 * the model's requests and tokens, and the reasons, or a dash when every
 * request is priced.
 */
export const UnpricedCell = (props: { row: ModelCost }) => {
  const { row } = props;
  if (row.unpricedRequests === 0) {
    return <>–</>;
  }

  const noun = row.unpricedRequests === 1 ? 'request' : 'requests';
  const share = formatShare(row.unpricedRequests, row.requests);

  return (
    <div data-testid="ai-cost-model-unpriced">
      <Typography variant="body2" color="error" component="div">
        {`${formatCount(row.unpricedRequests)} ${noun} (${share})`}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {formatCountWithShare(row.unpricedInputTokens, row.inputTokens)} input,{' '}
        {formatCountWithShare(row.unpricedOutputTokens, row.outputTokens)}{' '}
        output tokens
      </Typography>
      {row.unpricedReasons.map(item => (
        <Typography
          key={item.reason}
          variant="caption"
          color="textSecondary"
          component="div"
        >
          {item.reason}: {formatCount(item.requests)}
        </Typography>
      ))}
    </div>
  );
};

/**
 * Renders the price versions behind a model's cost: id and effective date,
 * with the source on a second line and the request count as a tooltip.
 */
export const PriceVersionCell = (props: { row: ModelCost }) => {
  const { priceVersions } = props.row;
  if (priceVersions.length === 0) {
    return <>–</>;
  }

  return (
    <>
      {priceVersions.map(version => (
        <div key={version.id} data-testid="ai-cost-price-version">
          <Tooltip
            title={`${formatCount(version.requests)} ${
              version.requests === 1 ? 'request' : 'requests'
            } priced with price version ${version.id}`}
          >
            <Typography variant="body2" component="span">
              #{version.id} from {formatInstant(version.effectiveFrom)}
            </Typography>
          </Tooltip>
          <Typography variant="caption" color="textSecondary" component="div">
            {version.source
              ? `${version.source} · ${version.sourceKind}`
              : version.sourceKind}
          </Typography>
        </div>
      ))}
    </>
  );
};
