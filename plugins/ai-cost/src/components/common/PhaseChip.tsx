import {
  AI_COST_PHASE_LABELS,
  AiCostPhase,
} from '@ai-cost/plugin-ai-cost-common';
import Chip from '@material-ui/core/Chip';

/** Lifecycle phase of an AI component as a badge. */
export const PhaseChip = (props: { phase?: AiCostPhase }) => {
  const { phase } = props;

  if (!phase) {
    return <Chip size="small" variant="outlined" label="No phase set" />;
  }
  return (
    <Chip
      size="small"
      color="primary"
      label={AI_COST_PHASE_LABELS[phase]}
      data-testid="ai-cost-phase"
    />
  );
};
