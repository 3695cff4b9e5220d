import { InputError } from '@backstage/errors';
import { parsePricePerMillion, parseUnitPrice } from './money';
import {
  PriceSchedule,
  Rates,
  SERVICE_TIERS,
  ServiceTier,
  TOKEN_RATE_KEYS,
  UNIT_RATE_KEYS,
} from './types';

/**
 * Prices of one service tier as written in a price sheet: decimal strings
 * per million tokens for token types, per unit for `request` and
 * `webSearch`.
 */
export type RatesInput = Partial<
  Record<
    (typeof TOKEN_RATE_KEYS)[number] | (typeof UNIT_RATE_KEYS)[number],
    string
  >
>;

/** A tier as written in a price sheet. */
export interface TierInput extends RatesInput {
  /** The tier applies to requests with more input tokens than this. */
  aboveInputTokens: number;
}

/** A schedule as written in a price sheet. */
export interface ScheduleInput extends RatesInput {
  tiers?: TierInput[];
}

/**
 * One entry of a price sheet, as app-config, the curated catalog, the
 * loaders and the API write it. Standard prices sit at the top level.
 */
export interface PriceInput extends ScheduleInput {
  provider: string;
  model: string;
  /** ISO 8601 date or instant (UTC) from which the price applies. */
  effectiveFrom: string;
  effectiveTo?: string;
  currency: string;
  batch?: ScheduleInput;
  flex?: ScheduleInput;
  priority?: ScheduleInput;
  /** The vendor marks the price as dynamic; see PriceVersion.dynamic. */
  dynamic?: boolean;
  source?: string;
}

/** A validated price sheet entry, ready to store and to price with. */
export interface ParsedPrice {
  provider: string;
  model: string;
  effectiveFrom: string;
  effectiveTo?: string;
  currency: string;
  schedules: Partial<Record<ServiceTier, PriceSchedule>> & {
    standard: PriceSchedule;
  };
  dynamic: boolean;
  source?: string;
}

const CURRENCY_PATTERN = /^[A-Z]{3}$/;

const RATE_FIELDS: string[] = [...TOKEN_RATE_KEYS, ...UNIT_RATE_KEYS];
const ENTRY_FIELDS = new Set([
  ...RATE_FIELDS,
  'tiers',
  'provider',
  'model',
  'effectiveFrom',
  'effectiveTo',
  'currency',
  'batch',
  'flex',
  'priority',
  'dynamic',
  'source',
]);
const SCHEDULE_FIELDS = new Set([...RATE_FIELDS, 'tiers']);
const TIER_FIELDS = new Set([...RATE_FIELDS, 'aboveInputTokens']);

/**
 * Validates one price sheet entry. Throws an InputError naming the entry
 * and field for a missing, negative, non-numeric or over-precise price.
 */
export function parsePriceInput(input: PriceInput): ParsedPrice {
  const name = `${input.provider}/${input.model}`;

  if (!input.provider || !input.model) {
    throw new InputError(
      `Invalid price ${JSON.stringify(name)}: provider and model are required`,
    );
  }
  if (!CURRENCY_PATTERN.test(input.currency ?? '')) {
    throw new InputError(
      `Invalid price ${name}: currency ${JSON.stringify(
        input.currency,
      )} is not a 3-letter ISO 4217 code such as USD`,
    );
  }

  const effectiveFrom = toIsoInstant(
    input.effectiveFrom,
    `${name} effectiveFrom`,
  );
  const effectiveTo =
    input.effectiveTo === undefined
      ? undefined
      : toIsoInstant(input.effectiveTo, `${name} effectiveTo`);
  if (effectiveTo !== undefined && effectiveTo <= effectiveFrom) {
    throw new InputError(
      `Invalid price ${name}: effectiveTo ${effectiveTo} is not after effectiveFrom ${effectiveFrom}`,
    );
  }

  const schedules: ParsedPrice['schedules'] = {
    standard: parseSchedule(input, `${name} standard`, ENTRY_FIELDS),
  };
  for (const tier of SERVICE_TIERS) {
    const schedule = tier === 'standard' ? undefined : input[tier];
    if (schedule) {
      schedules[tier] = parseSchedule(schedule, `${name} ${tier}`);
    }
  }

  return {
    provider: input.provider.trim(),
    model: input.model.trim(),
    effectiveFrom,
    effectiveTo,
    currency: input.currency,
    schedules,
    dynamic: input.dynamic === true,
    source: input.source,
  };
}

/** Rejects a misspelt price field, which would otherwise bill at a default. */
function checkFields(input: object, allowed: Set<string>, where: string) {
  const unknown = Object.keys(input).find(key => !allowed.has(key));
  if (unknown !== undefined) {
    throw new InputError(
      `Invalid price ${where}: unknown field ${JSON.stringify(unknown)}; use ${[
        ...allowed,
      ].join(', ')}`,
    );
  }
}

function parseSchedule(
  input: ScheduleInput,
  where: string,
  allowed: Set<string> = SCHEDULE_FIELDS,
): PriceSchedule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputError(
      `Invalid price ${where}: the prices are not an object such as { "input": "2.50", "output": "10" }`,
    );
  }
  checkFields(input, allowed, where);
  const rates = parseRates(input, where);
  if (input.tiers !== undefined && !Array.isArray(input.tiers)) {
    throw new InputError(
      `Invalid price ${where}: tiers is not a list such as [{ "aboveInputTokens": 200000, "input": "6", "output": "22.50" }]`,
    );
  }
  const tiers = (input.tiers ?? []).map((tier, index) => {
    if (typeof tier !== 'object' || tier === null || Array.isArray(tier)) {
      throw new InputError(
        `Invalid price ${where} tier ${
          index + 1
        }: not an object with aboveInputTokens and prices`,
      );
    }
    checkFields(tier, TIER_FIELDS, `${where} tier ${index + 1}`);
    const threshold = tier.aboveInputTokens;
    if (!Number.isInteger(threshold) || threshold < 0) {
      throw new InputError(
        `Invalid price ${where} tier ${
          index + 1
        }: aboveInputTokens ${JSON.stringify(
          threshold,
        )} is not a whole number of tokens`,
      );
    }
    // A tier inherits the base rates that it does not set.
    const tierRates = parseRates(
      { ...stripUndefined(input), ...stripUndefined(tier) },
      `${where} tier above ${threshold}`,
    );
    return { aboveInputTokens: threshold, rates: tierRates };
  });

  tiers.sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  return { rates, tiers };
}

function parseRates(input: RatesInput, where: string): Rates {
  if (input.input === undefined || input.output === undefined) {
    throw new InputError(
      `Invalid price ${where}: input and output prices per million tokens are required`,
    );
  }

  const rates: Partial<Rates> = {};
  for (const key of TOKEN_RATE_KEYS) {
    if (input[key] !== undefined) {
      rates[key] = parsePricePerMillion(input[key], `${where} ${key}`);
    }
  }
  for (const key of UNIT_RATE_KEYS) {
    if (input[key] !== undefined) {
      rates[key] = parseUnitPrice(input[key], `${where} ${key}`);
    }
  }
  return rates as Rates;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([key, field]) =>
        field !== undefined && key !== 'tiers' && key !== 'aboveInputTokens',
    ),
  ) as Partial<T>;
}

/** Normalises a date or instant to an ISO 8601 UTC instant string. */
export function toIsoInstant(value: unknown, field: string): string {
  const millis = typeof value === 'string' ? Date.parse(value) : NaN;
  const day = typeof value === 'string' ? value.slice(0, 10) : '';
  const realDay =
    !Number.isNaN(millis) &&
    (!/^\d{4}-\d{2}-\d{2}/.test(day) ||
      new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().startsWith(day));
  if (Number.isNaN(millis) || !realDay) {
    throw new InputError(
      `Invalid price ${field} ${JSON.stringify(
        value,
      )}; use an ISO 8601 date such as 2026-01-31`,
    );
  }
  return new Date(millis).toISOString();
}
