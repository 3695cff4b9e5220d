import { UsageRecordRow } from '../database/tables';

/**
 * Builds a usage record row as the ingestor stores it: one priced gpt-4o
 * request of 1,000 input and 100 output tokens on 2026-11-02 at 10:00 UTC
 * for support-assistant, costing 1,000 pico-units. `fields` replace
 * defaults; a `usage_date` alone moves the request to 10:00 UTC that day.
 */
export function usageRecordRow(
  requestKey: string,
  fields: Partial<UsageRecordRow> = {},
): UsageRecordRow {
  const usageDate = fields.usage_date ?? '2026-11-02';
  return {
    request_key: requestKey,
    occurred_at: Date.parse(`${usageDate}T10:00:00Z`),
    usage_date: usageDate,
    entity_ref: 'component:default/support-assistant',
    service: null,
    provider: 'openai',
    model: 'gpt-4o',
    service_tier: 'standard',
    input_tokens: 1000,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    cache_write_1h_tokens: 0,
    input_audio_tokens: 0,
    input_image_tokens: 0,
    output_tokens: 100,
    reasoning_tokens: 0,
    output_audio_tokens: 0,
    output_image_tokens: 0,
    web_search_requests: 0,
    cost_pico: '1000',
    currency: 'USD',
    list_cost_pico: '1000',
    list_currency: 'USD',
    price_id: null,
    override_id: null,
    pricing_note: null,
    unpriced_reason: null,
    provider_cost: null,
    provider_cost_currency: null,
    cost_mismatch: false,
    task_id: null,
    task_outcome: null,
    operation: 'chat',
    semantic_cache_hit: false,
    query_complexity: null,
    is_retry: false,
    ...fields,
  };
}
