import { compareDecimal, divideDecimal, roundDecimal } from './decimal';

/** Locale of all figures, so that amounts read the same for every user. */
const DISPLAY_LOCALE = 'en-US';

/** Decimals of a displayed share, such as `12.3%`. */
const SHARE_FRACTION_DIGITS = 1;

/** Smallest share that one decimal of a percentage shows: 0.1%. */
const MIN_DISPLAYED_SHARE = '0.001';

const countFormat = new Intl.NumberFormat(DISPLAY_LOCALE, {
  maximumFractionDigits: 0,
});

const shareFormat = new Intl.NumberFormat(DISPLAY_LOCALE, {
  style: 'percent',
  minimumFractionDigits: SHARE_FRACTION_DIGITS,
  maximumFractionDigits: SHARE_FRACTION_DIGITS,
});

/**
 * Formats an exact decimal amount with its currency, such as `$1,234.57`.
 * The amount is rounded as a string to the minor unit of the currency
 * (2 decimals for USD and EUR, 0 for JPY) without converting it to a float.
 * With `signed`, an amount above zero after rounding gets a `+`.
 */
export function formatMoney(
  amount: string,
  currency: string,
  options?: { signed?: boolean },
): string {
  const format = new Intl.NumberFormat(DISPLAY_LOCALE, {
    style: 'currency',
    currency,
    signDisplay: options?.signed ? 'exceptZero' : 'auto',
  });
  const { maximumFractionDigits = 2 } = format.resolvedOptions();
  const rounded = roundDecimal(amount, maximumFractionDigits);

  // NOTE: Intl.NumberFormat reads a string as an exact decimal since ECMA-402
  // 2023. Older engines convert it to a number, exact to about 15 digits.
  return format.format(rounded as Intl.StringNumericLiteral);
}

/**
 * Formats a percentage that the backend computed as a two-decimal string,
 * such as `91.67` as `91.67%`, or a dash for null. With `signed`, a
 * percentage above zero gets a `+`.
 */
export function formatPercent(
  percent: string | null,
  options?: { signed?: boolean },
): string {
  if (percent === null) {
    return '–';
  }
  const sign = options?.signed && compareDecimal(percent, '0') > 0 ? '+' : '';
  return `${sign}${percent}%`;
}

/**
 * Describes a range of days with the time zone they are local to, such as
 * `2026-01-01 to 2026-01-11 (days in Europe/Berlin)`.
 */
export function formatDayRange(
  from: string,
  to: string,
  timeZone: string,
): string {
  return `${from} to ${to} (days in ${timeZone})`;
}

/**
 * Formats a whole count such as a request or token count: `1,234,567`.
 */
export function formatCount(count: number): string {
  return countFormat.format(count);
}

/**
 * Formats `part / whole` as a percentage with one decimal, such as `12.3%`.
 * A share that is not zero but rounds to zero reads `<0.1%`. Returns
 * undefined when `whole` is zero, because the share is then not defined.
 * Both arguments are decimal strings or whole numbers.
 */
export function formatShare(
  part: string | number,
  whole: string | number,
): string | undefined {
  // The ratio keeps two more decimals than the percentage shows.
  const ratio = divideDecimal(
    String(part),
    String(whole),
    SHARE_FRACTION_DIGITS + 2,
  );
  if (ratio === undefined) {
    return undefined;
  }

  const partIsZero = compareDecimal(String(part), '0') === 0;
  if (compareDecimal(ratio, '0') === 0 && !partIsZero) {
    return `<${shareFormat.format(
      MIN_DISPLAYED_SHARE as Intl.StringNumericLiteral,
    )}`;
  }
  return shareFormat.format(ratio as Intl.StringNumericLiteral);
}

/**
 * Formats a whole count with its share of a whole, such as
 * `300,000 (10.0%)`, or the count alone when the whole is zero.
 */
export function formatCountWithShare(part: number, whole: number): string {
  const share = formatShare(part, whole);
  return share ? `${formatCount(part)} (${share})` : formatCount(part);
}

/**
 * Formats an ISO 8601 UTC instant as its day, such as `2024-05-13`, or as
 * day and time when it is not midnight: `2024-05-13 14:00 UTC`.
 */
export function formatInstant(instant: string): string {
  const day = instant.slice(0, 10);
  const time = instant.slice(11, 16);

  if (/T00:00(:00(\.0+)?)?Z$/.test(instant)) {
    return day;
  }
  return `${day} ${time} UTC`;
}
