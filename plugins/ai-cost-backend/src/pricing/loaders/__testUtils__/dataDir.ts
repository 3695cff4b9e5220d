import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Sheet files of the public data folder that the tests read. */
export const LITELLM_SHEET =
  'litellm-model-prices/model_prices_and_context_window.2026-07-24.json';
export const GENAI_PRICES_DATA = 'genai-prices/v2-data.json';
export const GENAI_PRICES_USAGES = 'genai-prices/usages.part1-of-2.json';

/**
 * Returns the path of a file in the folder of public data sets that
 * AI_COST_DATA_DIR names; throws when the variable is not set.
 */
export function dataPath(relativePath: string): string {
  const dataDir = process.env.AI_COST_DATA_DIR;
  if (!dataDir) {
    throw new Error(
      `AI_COST_DATA_DIR is not set; set it to the folder that contains ${relativePath}`,
    );
  }
  return join(dataDir, relativePath);
}

/** Reads and parses a JSON file of the public data folder. */
export function readDataJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(dataPath(relativePath), 'utf8'));
}
