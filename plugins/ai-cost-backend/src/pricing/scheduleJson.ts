import {
  formatPico,
  formatPricePerMillion,
  parsePricePerMillion,
  parseUnitPrice,
} from './money';
import {
  PriceSchedule,
  PriceVersion,
  Rates,
  SERVICE_TIERS,
  TOKEN_RATE_KEYS,
  UNIT_RATE_KEYS,
} from './types';

type RatesJson = Record<string, string>;
type ScheduleJson = {
  rates: RatesJson;
  tiers: Array<{ aboveInputTokens: number; rates: RatesJson }>;
};

/**
 * Serialises schedules to JSON with decimal strings: per million tokens for
 * token types, per unit for requests and web searches. Keys keep a fixed
 * order, so equal schedules give equal text.
 */
export function schedulesToJson(schedules: PriceVersion['schedules']): string {
  const json: Record<string, ScheduleJson> = {};

  for (const tier of SERVICE_TIERS) {
    const schedule = schedules[tier];
    if (schedule) {
      json[tier] = {
        rates: ratesToJson(schedule.rates),
        tiers: schedule.tiers.map(tierRates => ({
          aboveInputTokens: tierRates.aboveInputTokens,
          rates: ratesToJson(tierRates.rates),
        })),
      };
    }
  }
  return JSON.stringify(json);
}

/** Parses schedules written by schedulesToJson. */
export function schedulesFromJson(
  text: string,
  where: string,
): PriceVersion['schedules'] {
  const json = JSON.parse(text) as Record<string, ScheduleJson>;
  const schedules: Partial<PriceVersion['schedules']> = {};

  for (const tier of SERVICE_TIERS) {
    const schedule = json[tier];
    if (schedule) {
      schedules[tier] = {
        rates: ratesFromJson(schedule.rates, `${where} ${tier}`),
        tiers: schedule.tiers.map(tierRates => ({
          aboveInputTokens: tierRates.aboveInputTokens,
          rates: ratesFromJson(tierRates.rates, `${where} ${tier}`),
        })),
      } satisfies PriceSchedule;
    }
  }
  return schedules as PriceVersion['schedules'];
}

function ratesToJson(rates: Rates): RatesJson {
  const json: RatesJson = {};
  for (const key of TOKEN_RATE_KEYS) {
    const rate = rates[key];
    if (rate !== undefined) {
      json[key] = formatPricePerMillion(rate);
    }
  }
  for (const key of UNIT_RATE_KEYS) {
    const rate = rates[key];
    if (rate !== undefined) {
      json[key] = formatPico(rate);
    }
  }
  return json;
}

function ratesFromJson(json: RatesJson, where: string): Rates {
  const rates: Partial<Rates> = {};
  for (const key of TOKEN_RATE_KEYS) {
    if (json[key] !== undefined) {
      rates[key] = parsePricePerMillion(json[key], `${where} ${key}`);
    }
  }
  for (const key of UNIT_RATE_KEYS) {
    if (json[key] !== undefined) {
      rates[key] = parseUnitPrice(json[key], `${where} ${key}`);
    }
  }
  return rates as Rates;
}
