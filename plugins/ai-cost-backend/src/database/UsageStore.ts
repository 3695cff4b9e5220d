import { UsageRecordRow } from './tables';

/** Sums over a slice of usage records. */
export interface UsageSums {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  unpricedRequests: number;
  /** Sum of priced requests in pico-units. */
  costPico: bigint;
}

/** Filter of a usage query: one entity and an inclusive range of UTC days. */
export interface UsageQuery {
  entityRef: string;
  fromDate: string;
  toDate: string;
}

/** Storage of usage records. */
export interface UsageStore {
  /**
   * Inserts usage records, skipping those whose request key is stored
   * already, and returns how many were new and how many were duplicates.
   */
  insertUsage(
    rows: UsageRecordRow[],
  ): Promise<{ inserted: number; duplicates: number }>;

  /** Returns whether any usage record is stored. */
  hasUsage(): Promise<boolean>;

  /** Sums of the query's records per UTC day, ordered by day. */
  sumByDay(query: UsageQuery): Promise<Array<UsageSums & { date: string }>>;

  /** Sums of the query's records per provider and model. */
  sumByModel(
    query: UsageQuery,
  ): Promise<Array<UsageSums & { provider: string; model: string }>>;

  /** First and last UTC day with usage of an entity, over all time. */
  getUsageDateRange(
    entityRef: string,
  ): Promise<{ first: string; last: string } | undefined>;
}
