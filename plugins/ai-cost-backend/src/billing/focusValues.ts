import { PICO_PER_UNIT, parseDecimalToPico } from '../pricing/money';

/** An exact decimal: `units` × 10^-`scale`. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^([+-])?(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * Parses a FOCUS decimal such as `0.00000080000`, `-2.6137` or `1.5E-7`,
 * surrounding spaces allowed. Returns undefined for anything else,
 * including currency symbols and thousands separators.
 */
export function parseExactDecimal(text: string): ExactDecimal | undefined {
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, sign, body, exponentText] = match;
  const [whole, fraction = ''] = body.split('.');
  const exponent = Number(exponentText ?? 0);
  let units = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - exponent;

  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
}

/**
 * Rounds to `scale` decimals, half away from zero, and returns the units
 * at that scale.
 */
export function roundToScale(value: ExactDecimal, scale: number): bigint {
  if (value.scale <= scale) {
    return value.units * 10n ** BigInt(scale - value.scale);
  }
  const divisor = 10n ** BigInt(value.scale - scale);
  const half = divisor / 2n;
  return value.units >= 0n
    ? (value.units + half) / divisor
    : (value.units - half) / divisor;
}

/** Formats an exact decimal without trailing zeros, such as `-0.0125`. */
export function formatExactDecimal(value: ExactDecimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units)
    .toString()
    .padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;

  return negative && text !== '0' ? `-${text}` : text;
}

/**
 * Converts an amount to pico-units. Digits beyond the 12th decimal are
 * rounded half away from zero, the rule of multiplyPico in money.ts.
 */
export function toPico(value: ExactDecimal): bigint {
  const rounded = roundToScale(value, 12);
  return parseDecimalToPico(formatExactDecimal({ units: rounded, scale: 12 }));
}

/** Largest amount that fits a signed 64-bit column in pico-units. */
export const MAX_STORED_PICO = 2n ** 63n - 1n;

/** Largest amount of one row, in currency units, for messages. */
export const MAX_STORED_UNITS = MAX_STORED_PICO / PICO_PER_UNIT;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

// Month/day/year, the US order of the FOCUS specification's example
// tables (such as 4/1/25).
const US_DATE_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/;

/**
 * Parses a FOCUS date-time to epoch milliseconds. Accepts ISO 8601 with a
 * `T` or a space, with or without seconds, fraction and zone. Without a
 * zone the time is UTC, as FOCUS requires. Also accepts month/day/year
 * dates, where two-digit years are 20xx. Returns undefined for an invalid
 * date such as hour 30 or 31 April.
 */
export function parseFocusTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  const iso = ISO_PATTERN.exec(trimmed);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    const parts = {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour ?? 0),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
    };
    const millis = utcMillis(parts);
    if (millis === undefined) {
      return undefined;
    }
    const fractionMillis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
    return millis + fractionMillis - zoneOffsetMillis(zone);
  }

  const us = US_DATE_PATTERN.exec(trimmed);
  if (us) {
    const [, month, day, year] = us;
    return utcMillis({
      year: year.length === 2 ? 2000 + Number(year) : Number(year),
      month: Number(month),
      day: Number(day),
      hour: 0,
      minute: 0,
      second: 0,
    });
  }
  return undefined;
}

function utcMillis(parts: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}): number | undefined {
  const millis = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const date = new Date(millis);
  // Date.UTC rolls 30 hours into the next day; a round trip detects it.
  const valid =
    date.getUTCFullYear() === parts.year &&
    date.getUTCMonth() === parts.month - 1 &&
    date.getUTCDate() === parts.day &&
    date.getUTCHours() === parts.hour &&
    date.getUTCMinutes() === parts.minute &&
    date.getUTCSeconds() === parts.second;
  return valid ? millis : undefined;
}

function zoneOffsetMillis(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') {
    return 0;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return sign * minutes * 60_000;
}

/** UTC month of an instant, `YYYY-MM`. */
export function utcMonth(millis: number): string {
  return new Date(millis).toISOString().slice(0, 7);
}

const TOKEN_UNIT_PATTERN =
  /^(?:(\d+)\s*)?(k|m|b|thousand|million|billion)?\s*(?:(?:input|output|cached|prompt|completion)\s+)?tokens?$/i;

const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  m: 1_000_000n,
  million: 1_000_000n,
  b: 1_000_000_000n,
  billion: 1_000_000_000n,
};

/**
 * Returns the number of tokens in one unit of a token unit string: 1 for
 * `Tokens`, 1000 for `1K Tokens` or `1000 Tokens`, 1,000,000 for
 * `1M Tokens`. Returns undefined when the unit does not count tokens.
 * Block units without the word Tokens, such as Azure's `1K`, are not
 * token units because the same strings price other meters.
 */
export function tokensPerUnit(unit: string): bigint | undefined {
  const match = TOKEN_UNIT_PATTERN.exec(unit.trim());
  if (!match) {
    return undefined;
  }
  const [, count, multiplier] = match;
  const size =
    BigInt(count ?? 1) * (MULTIPLIERS[multiplier?.toLowerCase()] ?? 1n);
  return size > 0n ? size : undefined;
}

/** Converts a quantity of a token unit to tokens, rounded half away from zero. */
export function toTokens(quantity: ExactDecimal, perUnit: bigint): bigint {
  return roundToScale(
    { units: quantity.units * perUnit, scale: quantity.scale },
    0,
  );
}
