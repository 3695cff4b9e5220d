import { AnnotationProblem } from '@ai-cost/plugin-ai-cost-common';
import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/**
 * Annotations of the entity whose values could not be read, each with the
 * reason. Renders nothing when there are none.
 */
export const AnnotationProblemsPanel = (props: {
  problems: AnnotationProblem[];
}) => {
  const { problems } = props;
  if (problems.length === 0) {
    return null;
  }

  const title =
    problems.length === 1
      ? '1 AI cost annotation is invalid and ignored'
      : `${problems.length} AI cost annotations are invalid and ignored`;
  return (
    <WarningPanel title={title} defaultExpanded>
      <ul>
        {problems.map(problem => (
          <li key={problem.annotation}>
            <Typography variant="body2">
              <code>{problem.annotation}</code>: {problem.message}
            </Typography>
          </li>
        ))}
      </ul>
    </WarningPanel>
  );
};
