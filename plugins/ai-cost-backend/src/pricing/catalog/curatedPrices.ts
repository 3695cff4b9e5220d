import { UNDATED_EFFECTIVE_FROM } from '../loaders/types';
import { PriceInput } from '../priceSheet';

// Figures come from two public sheets, read on 2026-12-04, because vendor
// pages could not be opened: genai-prices v2 data (pydantic/genai-prices
// at commit 47df840, 2026-08-21, prices/new_data/v2/data.json) and the
// LiteLLM model_prices_and_context_window.json of 2026-07-24 (BerriAI
// data through the RoCry/llm-api-price mirror, commit 8442b93). Each
// `source` names the sheet and the vendor page that genai-prices lists
// for the provider. Where the sheets disagree, a comment at the entry
// gives both figures and the one taken.
//
// A price without a known start date applies from UNDATED_EFFECTIVE_FROM,
// as the genai-prices loader does; o3 has a dated price change.

const GENAI = 'genai-prices v2 data at commit 47df840 (2026-08-21)';
const LITELLM = 'LiteLLM sheet of 2026-07-24';

const OPENAI_PAGE = 'https://developers.openai.com/api/docs/pricing';
const ANTHROPIC_PAGE = 'https://www.anthropic.com/pricing#api';
const GEMINI_PAGE = 'https://ai.google.dev/gemini-api/docs/pricing';
const VERTEX_PAGE = 'https://cloud.google.com/vertex-ai/generative-ai/pricing';
const MISTRAL_PAGE = 'https://mistral.ai/pricing#api-pricing';
const AZURE_PAGE =
  'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/#pricing';
const BEDROCK_PAGE = 'https://aws.amazon.com/bedrock/pricing/';

function cites(page: string, extra?: string): string {
  const base = `${GENAI}, which cites ${page}`;
  return extra ? `${base}; ${extra}` : base;
}

const OPENAI_SERVICE_TIERS = `batch, flex and priority prices from the ${LITELLM}, as genai-prices has none`;

const SONNET_4_5_TIER = {
  aboveInputTokens: 200000,
  input: '6',
  cachedInput: '0.6',
  cacheWrite: '7.5',
  cacheWrite1h: '12',
  output: '22.5',
};

const GEMINI_2_5_PRO = {
  input: '1.25',
  cachedInput: '0.125',
  output: '10',
  tiers: [
    {
      aboveInputTokens: 200000,
      input: '2.5',
      cachedInput: '0.25',
      output: '15',
    },
  ],
};

// Both sheets agree on gemini-2.5-flash. genai-prices also prices cached
// audio at 0.1, which the engine has no rate for: cached audio bills at
// cachedInput. LiteLLM lists a reasoning price equal to the output price.
const GEMINI_2_5_FLASH = {
  input: '0.3',
  cachedInput: '0.03',
  inputAudio: '1',
  output: '2.5',
};

/**
 * The curated default price catalog: list prices of major models in USD
 * per million tokens (`webSearch` per search), each entry with the sheets
 * it was read from.
 */
export const CURATED_PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '2.5',
    cachedInput: '1.25',
    output: '10',
    batch: { input: '1.25', output: '5' },
    priority: { input: '4.25', cachedInput: '2.125', output: '17' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.15',
    cachedInput: '0.075',
    output: '0.6',
    batch: { input: '0.075', output: '0.3' },
    priority: { input: '0.25', cachedInput: '0.125', output: '1' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'gpt-4.1',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '2',
    cachedInput: '0.5',
    output: '8',
    batch: { input: '1', output: '4' },
    priority: { input: '3.5', cachedInput: '0.875', output: '14' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'gpt-4.1-mini',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.4',
    cachedInput: '0.1',
    output: '1.6',
    batch: { input: '0.2', output: '0.8' },
    priority: { input: '0.7', cachedInput: '0.175', output: '2.8' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'gpt-5',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '1.25',
    cachedInput: '0.125',
    output: '10',
    flex: { input: '0.625', cachedInput: '0.0625', output: '5' },
    priority: { input: '2.5', cachedInput: '0.25', output: '20' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'gpt-5-mini',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.25',
    cachedInput: '0.025',
    output: '2',
    flex: { input: '0.125', cachedInput: '0.0125', output: '1' },
    priority: { input: '0.45', cachedInput: '0.045', output: '3.6' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  // genai-prices dates o3's price cut to 2025-06-10; the LiteLLM sheet has
  // only the later price. NOTE: genai-prices gives the earlier price a
  // cached-input price of 0.5, the same as after the cut; no second sheet
  // confirms it.
  {
    provider: 'openai',
    model: 'o3',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '10',
    cachedInput: '0.5',
    output: '40',
    source: cites(OPENAI_PAGE),
  },
  {
    provider: 'openai',
    model: 'o3',
    effectiveFrom: '2025-06-10',
    currency: 'USD',
    input: '2',
    cachedInput: '0.5',
    output: '8',
    flex: { input: '1', cachedInput: '0.25', output: '4' },
    priority: { input: '3.5', cachedInput: '0.875', output: '14' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'openai',
    model: 'o4-mini',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '1.1',
    cachedInput: '0.275',
    output: '4.4',
    flex: { input: '0.55', cachedInput: '0.1375', output: '2.2' },
    priority: { input: '2', cachedInput: '0.5', output: '8' },
    source: cites(OPENAI_PAGE, OPENAI_SERVICE_TIERS),
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '3',
    cachedInput: '0.3',
    cacheWrite: '3.75',
    cacheWrite1h: '6',
    output: '15',
    webSearch: '0.01',
    tiers: [SONNET_4_5_TIER],
    source: cites(ANTHROPIC_PAGE, `the ${LITELLM} agrees`),
  },
  // The LiteLLM sheet has no web search price for claude-haiku-4-5;
  // genai-prices has 10 per thousand, as for the other Claude models.
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '1',
    cachedInput: '0.1',
    cacheWrite: '1.25',
    cacheWrite1h: '2',
    output: '5',
    webSearch: '0.01',
    source: cites(ANTHROPIC_PAGE, `the ${LITELLM} agrees on token prices`),
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-1',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '15',
    cachedInput: '1.5',
    cacheWrite: '18.75',
    cacheWrite1h: '30',
    output: '75',
    webSearch: '0.01',
    source: cites(ANTHROPIC_PAGE, `the ${LITELLM} agrees`),
  },
  // The LiteLLM sheet also prices a grounded search at 0.035 per query;
  // genai-prices has no search price for Gemini, so none is set here.
  {
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    ...GEMINI_2_5_PRO,
    source: cites(GEMINI_PAGE, `the ${LITELLM} agrees`),
  },
  {
    provider: 'vertex_ai',
    model: 'gemini-2.5-pro',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    ...GEMINI_2_5_PRO,
    source: cites(VERTEX_PAGE, `the ${LITELLM} agrees`),
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    ...GEMINI_2_5_FLASH,
    source: cites(GEMINI_PAGE, `the ${LITELLM} agrees`),
  },
  {
    provider: 'vertex_ai',
    model: 'gemini-2.5-flash',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    ...GEMINI_2_5_FLASH,
    source: cites(VERTEX_PAGE, `the ${LITELLM} agrees`),
  },
  {
    provider: 'mistral',
    model: 'mistral-large-2411',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '2',
    output: '6',
    source: cites(MISTRAL_PAGE, `the ${LITELLM} agrees`),
  },
  // The LiteLLM sheet has no cached-input price for Mistral Large 3.
  {
    provider: 'mistral',
    model: 'mistral-large-2512',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.5',
    cachedInput: '0.05',
    output: '1.5',
    source: cites(MISTRAL_PAGE, `the ${LITELLM} agrees on input and output`),
  },
  // The sheets disagree: genai-prices prices mistral-large-latest as
  // Mistral Large 2411 (2 / 6), the LiteLLM sheet as Mistral Large 3
  // (0.5 / 1.5), which genai-prices lists as mistral-large-2512. The
  // LiteLLM figure is taken, as the alias names the newest Large model.
  {
    provider: 'mistral',
    model: 'mistral-large-latest',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.5',
    output: '1.5',
    source: `${LITELLM}, entry mistral/mistral-large-latest; ${GENAI}, which cites ${MISTRAL_PAGE}, prices it as mistral-large-2411`,
  },
  // genai-prices has no Azure entry for gpt-4o and falls back to OpenAI's
  // price; the LiteLLM sheet lists the same figures for azure/gpt-4o.
  {
    provider: 'azure',
    model: 'gpt-4o',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '2.5',
    cachedInput: '1.25',
    output: '10',
    source: `${LITELLM}, entry azure/gpt-4o; ${GENAI}, which cites ${AZURE_PAGE}, falls back to OpenAI's price`,
  },
  // The sheets disagree. The LiteLLM sheet lists 0.165 / 0.66 for
  // azure/gpt-4o-mini. genai-prices falls back to OpenAI's 0.15 / 0.6 and
  // notes that its Azure prices are those of Global deployments, with
  // Regional ones often higher. The Global figures are taken.
  {
    provider: 'azure',
    model: 'gpt-4o-mini',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '0.15',
    cachedInput: '0.075',
    output: '0.6',
    source: `${GENAI}, which cites ${AZURE_PAGE}, falls back to OpenAI's price for Global deployments`,
  },
  // genai-prices lists Bedrock's global Claude Sonnet 4.5 without a 1-hour
  // cache-write price and without the long-context tier; the LiteLLM sheet
  // has both, taken here.
  {
    provider: 'bedrock',
    model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '3',
    cachedInput: '0.3',
    cacheWrite: '3.75',
    cacheWrite1h: '6',
    output: '15',
    tiers: [SONNET_4_5_TIER],
    source: cites(
      BEDROCK_PAGE,
      `1-hour cache writes and the tier above 200,000 input tokens from the ${LITELLM}`,
    ),
  },
  // Regional (US) inference costs 10 % more in both sheets.
  {
    provider: 'bedrock',
    model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    effectiveFrom: UNDATED_EFFECTIVE_FROM,
    currency: 'USD',
    input: '3.3',
    cachedInput: '0.33',
    cacheWrite: '4.125',
    cacheWrite1h: '6.6',
    output: '16.5',
    tiers: [
      {
        aboveInputTokens: 200000,
        input: '6.6',
        cachedInput: '0.66',
        cacheWrite: '8.25',
        cacheWrite1h: '13.2',
        output: '24.75',
      },
    ],
    source: cites(
      BEDROCK_PAGE,
      `1-hour cache writes and the tier above 200,000 input tokens from the ${LITELLM}`,
    ),
  },
];
