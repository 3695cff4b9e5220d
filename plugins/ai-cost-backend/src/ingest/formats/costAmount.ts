import { formatPico, parseDecimalToPico } from '../../pricing/money';
import { toSheetDecimal } from '../../pricing/loaders/decimal';
import { FieldError, isBlank } from '../normalizedRecord';

const PLAIN_DECIMAL = /^\d{1,15}(\.\d+)?$/;
const SCIENTIFIC = /^\d+(\.\d+)?e[+-]?\d+$/i;

/**
 * Reads a cost that another tool reported, as a JSON number or a decimal
 * text, and returns it as a decimal string in whole pico-units (at most
 * 12 decimals), rounded half to even. Blank is undefined.
 *
 * A JSON number is read through its shortest round-trip form cut to 12
 * significant digits, which removes float artefacts such as
 * 0.00028500000000000004 and keeps the digits the tool wrote. Throws
 * FieldError naming the field for a negative or non-numeric value.
 */
export function readCostAmount(
  value: unknown,
  field: string,
): string | undefined {
  if (isBlank(value)) {
    return undefined;
  }

  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return toSheetDecimal(value, 0, 12).text;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (PLAIN_DECIMAL.test(text)) {
      return roundDecimalText(text);
    }
    if (SCIENTIFIC.test(text)) {
      return toSheetDecimal(Number(text), 0, 12).text;
    }
  }

  throw new FieldError(
    field,
    `${field} ${JSON.stringify(
      value,
    )} is not a cost; use a non-negative decimal amount such as 0.0125`,
  );
}

/** Adds decimal amounts of at most 12 decimals exactly. */
export function sumAmounts(amounts: string[]): string {
  let pico = 0n;
  for (const amount of amounts) {
    pico += parseDecimalToPico(amount);
  }
  return formatPico(pico);
}

function roundDecimalText(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length <= 12) {
    return formatPico(parseDecimalToPico(text));
  }

  const kept = BigInt(whole + fraction.slice(0, 12));
  const rest = fraction.slice(12);
  const half = `5${'0'.repeat(rest.length - 1)}`;
  const roundUp = rest > half || (rest === half && kept % 2n === 1n);
  return formatPico(kept + (roundUp ? 1n : 0n));
}
