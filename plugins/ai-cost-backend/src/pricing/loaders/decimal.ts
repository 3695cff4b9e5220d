/** A sheet number as an exact decimal string. */
export interface SheetDecimal {
  text: string;
  /** True when digits beyond `maxDecimals` were rounded away. */
  rounded: boolean;
}

/** Significant digits kept from a sheet number; see toSheetDecimal. */
const SIGNIFICANT_DIGITS = 12;

/**
 * Converts a non-negative number read from a JSON price sheet to a decimal
 * string, multiplied by 10^shift (6 turns a price per token into a price
 * per million tokens, -3 a price per thousand into a price per unit).
 *
 * Sheets are written from binary floats, so a price reads as
 * 0.18000000000000002 or 3.0001999999999996e-07. The number is first cut
 * to 12 significant digits, which removes such artefacts and keeps every
 * digit that a vendor writes. A result with more than `maxDecimals`
 * decimals is then rounded half-even to `maxDecimals`, and `rounded` is
 * set. The scaling shifts the decimal point of the digit string, so no
 * floating-point arithmetic touches the price.
 *
 * Throws a RangeError for a negative, NaN or infinite number.
 */
export function toSheetDecimal(
  value: number,
  shift: number,
  maxDecimals: number,
): SheetDecimal {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${value} is not a non-negative finite number; a price must be one`,
    );
  }

  // toExponential gives d.ddddddddddde±x: 12 significant digits.
  const [mantissa, exponentText] = value
    .toExponential(SIGNIFICANT_DIGITS - 1)
    .split('e');
  const digits = BigInt(mantissa.replace('.', ''));
  // value = digits * 10^(exponent - 11); the shift moves the exponent.
  const exponent = Number(exponentText) - (SIGNIFICANT_DIGITS - 1) + shift;

  let units = exponent >= 0 ? digits * 10n ** BigInt(exponent) : digits;
  let decimals = exponent >= 0 ? 0 : -exponent;
  let rounded = false;

  // Trailing zeros are not precision; dropping them first means only
  // digits that carry value count as rounded.
  while (decimals > 0 && units % 10n === 0n) {
    units /= 10n;
    decimals -= 1;
  }

  if (decimals > maxDecimals) {
    units = roundHalfEven(units, 10n ** BigInt(decimals - maxDecimals));
    decimals = maxDecimals;
    rounded = true;
  }

  return { text: formatDecimal(units, decimals), rounded };
}

/** Divides by `divisor`, rounding half to even. */
function roundHalfEven(units: bigint, divisor: bigint): bigint {
  const quotient = units / divisor;
  const remainder = units % divisor;
  const twice = remainder * 2n;

  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) {
    return quotient + 1n;
  }
  return quotient;
}

/** Formats `units` × 10^-decimals without trailing zeros. */
function formatDecimal(units: bigint, decimals: number): string {
  const text = units.toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const fraction = text.slice(text.length - decimals).replace(/0+$/, '');

  return fraction ? `${whole}.${fraction}` : whole;
}
