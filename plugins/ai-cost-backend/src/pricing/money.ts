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
