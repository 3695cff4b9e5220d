import { TokenUsage } from '../pricing/types';

/**
 * A usage record in the normalised import format, after validation. Token
 * counts follow OpenAI and OpenTelemetry GenAI semantics (see TokenUsage).
 */
export interface UsageRecord extends TokenUsage {
  /** Epoch milliseconds. */
  timestamp: number;
  /** Entity ref of the component; when absent, attributes are matched. */
  entityRef?: string;
  /** Attributes matched against usage selectors, such as service.name. */
  attributes: Record<string, string>;
  provider: string;
  model: string;
  /** Cost that the provider reported, as an exact decimal string. */
  providerCost?: string;
  providerCostCurrency?: string;
  /** Unique per request within its source; re-sent ids are duplicates. */
  requestId: string;
  taskId?: string;
  taskOutcome?: 'success' | 'failure';
  /** GenAI operation name, such as chat or embeddings. */
  operation?: string;
  /** Whether a semantic cache returned the response without a model call. */
  semanticCacheHit?: boolean;
  /** Complexity label of the query: simple, moderate or complex. */
  queryComplexity?: QueryComplexity;
  /** Whether the request repeats an earlier failed one. */
  retry?: boolean;
}

/** Complexity labels of a query, for the model-routing overshooting rate. */
export const QUERY_COMPLEXITIES = ['simple', 'moderate', 'complex'] as const;

/** A complexity label of a query. */
export type QueryComplexity = (typeof QUERY_COMPLEXITIES)[number];

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
  /**
   * Position of each record in the input, numbered as RecordError.record;
   * when absent, a record's index in `records` is used.
   */
  positions?: number[];
}
