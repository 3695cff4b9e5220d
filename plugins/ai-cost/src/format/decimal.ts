/**
 * A decimal string split into an integer and a power of ten, so that the
 * value equals `units / 10^scale` exactly.
 */
interface ScaledDecimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

function parseDecimal(value: string): ScaledDecimal {
  const match = DECIMAL_PATTERN.exec(value.trim());
  if (!match) {
    throw new TypeError(
      `Invalid decimal string ${JSON.stringify(
        value,
      )}; expected digits with an optional "-" and fraction, such as "12.34"`,
    );
  }

  const [, sign, whole, fraction = ''] = match;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

function rescale(decimal: ScaledDecimal, scale: number): bigint {
  return decimal.units * 10n ** BigInt(scale - decimal.scale);
}

/**
 * Divides and rounds half away from zero, the default rounding of
 * `Intl.NumberFormat`.
 */
function divideRounded(dividend: bigint, divisor: bigint): bigint {
  const negative = dividend < 0n !== divisor < 0n;
  const absDividend = dividend < 0n ? -dividend : dividend;
  const absDivisor = divisor < 0n ? -divisor : divisor;

  let quotient = absDividend / absDivisor;
  if ((absDividend % absDivisor) * 2n >= absDivisor) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

function toDecimalString(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units)
    .toString()
    .padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  const sign = negative ? '-' : '';

  return scale === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/**
 * Rounds a decimal string to `fractionDigits` decimals, half away from zero,
 * without going through a binary float.
 *
 * @example roundDecimal('1234.565', 2) === '1234.57'
 */
export function roundDecimal(value: string, fractionDigits: number): string {
  const decimal = parseDecimal(value);

  if (decimal.scale <= fractionDigits) {
    return toDecimalString(rescale(decimal, fractionDigits), fractionDigits);
  }

  const divisor = 10n ** BigInt(decimal.scale - fractionDigits);
  return toDecimalString(divideRounded(decimal.units, divisor), fractionDigits);
}

/**
 * Compares two decimal strings exactly. Returns a negative number, zero or a
 * positive number, as `Array.prototype.sort` expects.
 */
export function compareDecimal(a: string, b: string): number {
  const left = parseDecimal(a);
  const right = parseDecimal(b);
  const scale = Math.max(left.scale, right.scale);
  const difference = rescale(left, scale) - rescale(right, scale);

  if (difference === 0n) {
    return 0;
  }
  return difference < 0n ? -1 : 1;
}

/**
 * Divides one decimal string by another and rounds the quotient to
 * `fractionDigits` decimals. Returns undefined when the divisor is zero.
 *
 * @example divideDecimal('1', '3', 3) === '0.333'
 */
export function divideDecimal(
  dividend: string,
  divisor: string,
  fractionDigits: number,
): string | undefined {
  const top = parseDecimal(dividend);
  const bottom = parseDecimal(divisor);
  if (bottom.units === 0n) {
    return undefined;
  }

  // (top / bottom) * 10^fractionDigits, with both operands on one scale.
  const scale = Math.max(top.scale, bottom.scale);
  const numerator = rescale(top, scale) * 10n ** BigInt(fractionDigits);
  const quotient = divideRounded(numerator, rescale(bottom, scale));

  return toDecimalString(quotient, fractionDigits);
}
