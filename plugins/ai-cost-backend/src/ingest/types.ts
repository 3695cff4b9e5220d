/**
 * A usage record in the normalised import format, after validation.
 * Input tokens include cached input tokens (OpenAI and OpenTelemetry
 * GenAI semantics).
 */
export interface UsageRecord {
  /** Epoch milliseconds. */
  timestamp: number;
  /** Entity ref of the component; when absent, attributes are matched. */
  entityRef?: string;
  /** Attributes matched against usage selectors, such as service.name. */
  attributes: Record<string, string>;
  provider: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Unique per request within its source; re-sent ids are duplicates. */
  requestId: string;
  taskId?: string;
  taskOutcome?: 'success' | 'failure';
}

/** A record that failed validation, with its position in the input. */
export interface RecordError {
  /** 1-based line of CSV or JSONL input, 0-based index of a JSON array. */
  record: number;
  field?: string;
  message: string;
}

/** Output of a reader: the valid records and the errors of the rest. */
export interface ParsedBatch {
  records: UsageRecord[];
  errors: RecordError[];
}
