import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

function buildExampleBody(entityRef: string): string {
  const record = {
    timestamp: '2026-01-15T10:00:00Z',
    entityRef,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 1200,
    cachedInputTokens: 0,
    outputTokens: 300,
  };
  return JSON.stringify({ records: [record] }, null, 2);
}

/** Empty state of an entity without usage, with the ways to send some. */
export const NoUsageEmptyState = (props: { entityRef: string }) => {
  const { entityRef } = props;

  return (
    <EmptyState
      missing="data"
      title="No usage received yet"
      description="The AI cost backend has no usage records for this entity."
      action={
        <>
          <Typography variant="body1" paragraph>
            Send records to <code>POST /api/ai-cost/usage</code> as JSON, CSV or
            JSONL. A JSON body looks like this:
          </Typography>
          <CodeSnippet language="json" text={buildExampleBody(entityRef)} />
          <Typography variant="body1" paragraph style={{ marginTop: 16 }}>
            Or import a file with the CLI:
          </Typography>
          <CodeSnippet
            language="shell"
            text={`yarn ai-cost import usage.csv --entity ${entityRef}`}
          />
          <Typography variant="body2" style={{ marginTop: 16 }}>
            The section "Import usage" of the project README lists the record
            fields and file formats.
          </Typography>
        </>
      }
    />
  );
};
