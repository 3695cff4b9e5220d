import { InputError } from '@backstage/errors';

/** A dated exchange rate: one unit of `currency` in the reporting currency. */
export interface ExchangeRateInput {
  currency: string;
  /** UTC day from which the rate applies, `YYYY-MM-DD`. */
  date: string;
  /** Decimal string, such as `1.0842`. */
  rate: string;
}

const RATE_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,10})?$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Dated exchange rates into the reporting currency. A request is
 * converted at the rate of its own UTC day: the latest rate dated on or
 * before that day.
 */
export class ExchangeRates {
  private readonly byCurrency = new Map<string, ExchangeRateInput[]>();

  constructor(readonly reportingCurrency: string, rates: ExchangeRateInput[]) {
    for (const rate of rates) {
      validateExchangeRate(rate);
      const list = this.byCurrency.get(rate.currency) ?? [];
      list.push(rate);
      this.byCurrency.set(rate.currency, list);
    }
    for (const list of this.byCurrency.values()) {
      list.sort((a, b) => a.date.localeCompare(b.date));
    }
  }

  /**
   * Returns the rate from `currency` into the reporting currency on a UTC
   * day, `"1"` for the reporting currency itself, or undefined.
   */
  rateOn(currency: string, day: string): string | undefined {
    if (currency === this.reportingCurrency) {
      return '1';
    }

    const list = this.byCurrency.get(currency) ?? [];
    let found: string | undefined;
    for (const rate of list) {
      if (rate.date > day) {
        break;
      }
      found = rate.rate;
    }
    return found;
  }
}

/**
 * Validates one rate. Throws an InputError naming its currency and date when
 * the currency is not an ISO 4217 code, the day is malformed or the rate is
 * not a positive decimal.
 */
export function validateExchangeRate(rate: ExchangeRateInput): void {
  const where = `exchange rate ${rate.currency} on ${rate.date}`;

  if (!/^[A-Z]{3}$/.test(rate.currency ?? '')) {
    throw new InputError(
      `Invalid ${where}: currency is not a 3-letter ISO 4217 code such as EUR`,
    );
  }
  if (
    !DAY_PATTERN.test(rate.date ?? '') ||
    Number.isNaN(Date.parse(rate.date)) ||
    new Date(Date.parse(rate.date)).toISOString().slice(0, 10) !== rate.date
  ) {
    throw new InputError(
      `Invalid ${where}: date is not a day such as 2026-08-20`,
    );
  }
  if (!RATE_PATTERN.test(rate.rate ?? '') || /^0(\.0*)?$/.test(rate.rate)) {
    throw new InputError(
      `Invalid ${where}: rate ${JSON.stringify(
        rate.rate,
      )} is not a positive decimal with at most 10 decimals, such as "1.0842"`,
    );
  }
}
