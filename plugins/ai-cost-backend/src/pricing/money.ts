import { InputError } from '@backstage/errors';

/** Number of pico-units (10^-12) in one currency unit. */
export const PICO_PER_UNIT = 1_000_000_000_000n;

const PRICE_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,6})?$/;

/**
 * Converts a price per million tokens, given as a decimal string or number,
 * to the exact price of one token in pico-units. Six decimals per million
 * tokens is exactly one pico-unit per token, so no precision is lost.
 *
 * Throws an InputError naming the field for negative, non-numeric, NaN,
 * infinite or over-precise values.
 */
export function parsePricePerMillion(value: unknown, field: string): bigint {
  // String() gives the shortest decimal that reads back as the same number,
  // so a number with more than 6 decimals keeps them and fails the pattern.
  const text = typeof value === 'number' ? String(value) : value;

  if (typeof text !== 'string' || !PRICE_PATTERN.test(text.trim())) {
    // JSON.stringify would print NaN and Infinity as null.
    const valueText = typeof value === 'number' ? text : JSON.stringify(value);
    throw new InputError(
      `Invalid price ${field}: ${valueText}; use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"`,
    );
  }

  const [whole, fraction = ''] = text.trim().split('.');
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/**
 * Formats pico-units as an exact decimal string without trailing zeros,
 * such as `0.0023125`.
 */
export function formatPico(pico: bigint): string {
  const negative = pico < 0n;
  const magnitude = negative ? -pico : pico;
  const whole = magnitude / PICO_PER_UNIT;
  const fraction = (magnitude % PICO_PER_UNIT)
    .toString()
    .padStart(12, '0')
    .replace(/0+$/, '');
  const sign = negative ? '-' : '';

  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** Formats a price in pico-units per token as a decimal per million tokens. */
export function formatPricePerMillion(picoPerToken: bigint): string {
  return formatPico(picoPerToken * 1_000_000n);
}

const UNIT_PRICE_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,12})?$/;

/**
 * Converts a price per unit (one request, one web search), given as a
 * decimal string or number with at most 12 decimals, to pico-units.
 */
export function parseUnitPrice(value: unknown, field: string): bigint {
  const text = typeof value === 'number' ? String(value) : value;

  if (typeof text !== 'string' || !UNIT_PRICE_PATTERN.test(text.trim())) {
    const valueText = typeof value === 'number' ? text : JSON.stringify(value);
    throw new InputError(
      `Invalid price ${field}: ${valueText}; use a non-negative decimal per unit with at most 12 decimals, such as "0.01"`,
    );
  }
  return parseDecimalToPico(text.trim());
}

/** Converts a decimal string with at most 12 decimals to pico-units. */
export function parseDecimalToPico(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const pico = BigInt(whole) * PICO_PER_UNIT + BigInt(fraction.padEnd(12, '0'));
  return negative ? -pico : pico;
}

/**
 * Multiplies pico-units by an exact decimal factor such as an exchange
 * rate or `0.85` for 15 % off, rounding half away from zero to whole
 * pico-units.
 */
export function multiplyPico(pico: bigint, factor: string): bigint {
  const [whole, fraction = ''] = factor.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const numerator = pico * (BigInt(whole) * scale + BigInt(fraction || '0'));
  const half = scale / 2n;
  const rounded =
    numerator >= 0n ? (numerator + half) / scale : (numerator - half) / scale;

  return scale === 1n ? numerator : rounded;
}

/**
 * Returns `percent` (a decimal string such as `1` or `12.5`) of an amount in
 * pico-units, rounded half away from zero to whole pico-units.
 */
export function percentOf(pico: bigint, percent: string): bigint {
  const [whole, fraction = ''] = percent.split('.');
  const digits = `${whole.padStart(3, '0')}${fraction}`;
  const integerDigits = digits.length - fraction.length - 2;

  return multiplyPico(
    pico,
    `${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`,
  );
}
