/** Row of `ai_cost_usage_records` as inserted. */
export interface UsageRecordRow {
  request_key: string;
  occurred_at: number;
  usage_date: string;
  entity_ref: string | null;
  service: string | null;
  provider: string;
  model: string;
  service_tier: string;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  input_audio_tokens: number;
  input_image_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  output_audio_tokens: number;
  output_image_tokens: number;
  web_search_requests: number;
  /** Decimal string of an integer; bigint values do not survive JSON. */
  cost_pico: string | null;
  currency: string | null;
  list_cost_pico: string | null;
  list_currency: string | null;
  price_id: number | null;
  override_id: number | null;
  pricing_note: string | null;
  unpriced_reason: string | null;
  provider_cost: string | null;
  provider_cost_currency: string | null;
  cost_mismatch: boolean;
  task_id: string | null;
  task_outcome: string | null;
  operation: string | null;
  semantic_cache_hit: boolean;
  query_complexity: string | null;
  is_retry: boolean;
}
