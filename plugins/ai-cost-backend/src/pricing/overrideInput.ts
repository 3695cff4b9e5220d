import { InputError } from '@backstage/errors';
import { PriceOverrideInput } from '../database/PriceStore';
import { PriceInput, parsePriceInput, toIsoInstant } from './priceSheet';

/** A percentage from 0 to 100 with at most 4 decimals, as a string. */
export const PERCENT_PATTERN = /^(0|[1-9]\d{0,2})(\.\d{1,4})?$/;

const OVERRIDE_FIELDS = [
  'provider',
  'model',
  'effectiveFrom',
  'effectiveTo',
  'discountPercent',
  'prices',
];

/**
 * Validates one negotiated override as app-config and the API write it:
 * `discountPercent` off the list price, or explicit `prices` in the price
 * sheet format. Throws an InputError naming the override and the field.
 */
export function parseOverrideInput(json: unknown): PriceOverrideInput {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError(
      `Invalid override ${JSON.stringify(
        json,
      )}; send an object with provider, effectiveFrom and either discountPercent or prices`,
    );
  }

  const input = json as Record<string, unknown>;
  const provider = readString(input, 'provider', 'override');
  if (provider === undefined || provider.trim() === '') {
    throw new InputError(
      'Invalid override: provider is missing; give the provider id of the price catalog, such as openai',
    );
  }

  const model = readString(input, 'model', `override of ${provider}`);
  const where = `override of ${provider}/${model ?? '*'}`;

  const unknown = Object.keys(input).filter(
    key => !OVERRIDE_FIELDS.includes(key),
  );
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid ${where}: unknown field ${JSON.stringify(
        unknown[0],
      )}; use ${OVERRIDE_FIELDS.join(', ')}`,
    );
  }

  const effectiveFrom = readString(input, 'effectiveFrom', where);
  if (effectiveFrom === undefined) {
    throw new InputError(
      `Invalid ${where}: effectiveFrom is missing; give an ISO 8601 date such as 2026-01-01`,
    );
  }
  const effectiveTo = readString(input, 'effectiveTo', where);
  const from = toIsoInstant(effectiveFrom, `${where} effectiveFrom`);
  if (
    effectiveTo !== undefined &&
    toIsoInstant(effectiveTo, `${where} effectiveTo`) <= from
  ) {
    throw new InputError(
      `Invalid ${where}: effectiveTo ${effectiveTo} is not after effectiveFrom ${effectiveFrom}`,
    );
  }

  const discountPercent = readDiscount(input, where);
  const prices = input.prices;
  if ((discountPercent === undefined) === (prices === undefined)) {
    throw new InputError(
      `Invalid ${where}: set either discountPercent or prices`,
    );
  }
  if (
    prices !== undefined &&
    (typeof prices !== 'object' || prices === null || Array.isArray(prices))
  ) {
    throw new InputError(
      `Invalid ${where}: prices is not an object; give currency, input, output and other prices per million tokens`,
    );
  }

  const parsed = prices
    ? parsePriceInput({
        ...(prices as Omit<PriceInput, 'provider' | 'model'>),
        provider,
        model: model ?? '*',
        effectiveFrom,
      })
    : undefined;

  return {
    provider,
    model,
    effectiveFrom,
    effectiveTo,
    discountPercent,
    currency: parsed?.currency,
    schedules: parsed?.schedules,
  };
}

function readString(
  input: Record<string, unknown>,
  field: string,
  where: string,
): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(
      `Invalid ${where}: ${field} ${JSON.stringify(value)} is not a string`,
    );
  }
  return value;
}

function readDiscount(
  input: Record<string, unknown>,
  where: string,
): string | undefined {
  const value = input.discountPercent;
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || !PERCENT_PATTERN.test(value)) {
    throw new InputError(
      `Invalid ${where}: discountPercent ${JSON.stringify(
        value,
      )} is not a percentage from 0 to 100 with at most 4 decimals; send a string such as "15" or "12.5"`,
    );
  }
  if (Number(value) > 100) {
    throw new InputError(
      `Invalid ${where}: discountPercent "${value}" is above 100`,
    );
  }
  return value;
}
