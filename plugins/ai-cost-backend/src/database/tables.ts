/** Row of `ai_cost_prices`. */
export interface PriceRow {
  id: number;
  provider: string;
  model: string;
  effective_from: string;
  effective_to: string | null;
  currency: string;
  input_per_million: string;
  cached_input_per_million: string | null;
  output_per_million: string;
  source: string | null;
}

/** Row of `ai_cost_usage_records` as inserted. */
export interface UsageRecordRow {
  request_key: string;
  occurred_at: number;
  usage_date: string;
  entity_ref: string | null;
  service: string | null;
  provider: string;
  model: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  /** Decimal string of an integer; bigint values do not survive JSON. */
  cost_pico: string | null;
  currency: string | null;
  price_id: number | null;
  unpriced_reason: string | null;
  task_id: string | null;
  task_outcome: string | null;
}
