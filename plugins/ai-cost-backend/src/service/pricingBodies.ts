import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { RepricingFilter } from '../database/UsageStore';
import {
  ExchangeRateInput,
  validateExchangeRate,
} from '../pricing/ExchangeRates';
import {
  ParsedPrice,
  PriceInput,
  parsePriceInput,
} from '../pricing/priceSheet';

/** An entry of a list body that failed validation. */
export interface RejectedEntry {
  /** 0-based index in the body's array. */
  index: number;
  message: string;
}

/** Valid entries of a list body and the errors of the rest. */
export interface ParsedList<T> {
  entries: T[];
  rejected: RejectedEntry[];
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const REPRICE_FIELDS = [
  'from',
  'to',
  'entityRef',
  'provider',
  'model',
  'dryRun',
];

/** Reads the body of `POST /reprice`. */
export function readRepriceBody(body: unknown): {
  filter: RepricingFilter;
  dryRun: boolean;
} {
  const input = readObject(
    body,
    'send an object with from and to (UTC days) and optional entityRef, provider, model and dryRun',
  );

  const unknown = Object.keys(input).filter(
    key => !REPRICE_FIELDS.includes(key),
  );
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid field ${JSON.stringify(unknown[0])}; use ${REPRICE_FIELDS.join(
        ', ',
      )}`,
    );
  }

  const fromDate = readDay(input, 'from');
  const toDate = readDay(input, 'to');
  if (fromDate > toDate) {
    throw new InputError(
      `Invalid range: from ${fromDate} is after to ${toDate}`,
    );
  }

  const dryRun = input.dryRun ?? false;
  if (typeof dryRun !== 'boolean') {
    throw new InputError(
      `Invalid dryRun ${JSON.stringify(input.dryRun)}; use true or false`,
    );
  }

  return {
    filter: {
      fromDate,
      toDate,
      entityRef: readEntityRef(input.entityRef),
      provider: readName(input, 'provider'),
      model: readName(input, 'model'),
    },
    dryRun,
  };
}

/**
 * Reads the body of `POST /prices`: an array of price sheet entries. An
 * entry with the provider, model and effectiveFrom of an earlier entry is
 * rejected, because one request sets one version per key.
 */
export function readPriceList(body: unknown): ParsedList<ParsedPrice> {
  const list = readArray(body, 'price sheet entries');
  const result: ParsedList<ParsedPrice> = { entries: [], rejected: [] };
  const seen = new Map<string, number>();

  list.forEach((entry, index) => {
    try {
      readObject(entry, 'send an object with provider, model and prices');
      const price = parsePriceInput(entry as PriceInput);
      const key = [
        price.provider.toLowerCase(),
        price.model.toLowerCase(),
        price.effectiveFrom,
      ].join(' ');
      const first = seen.get(key);
      if (first !== undefined) {
        throw new InputError(
          `Invalid price ${price.provider}/${price.model}: entry ${first} has the same provider, model and effectiveFrom ${price.effectiveFrom}`,
        );
      }
      seen.set(key, index);
      result.entries.push(price);
    } catch (error) {
      result.rejected.push({ index, message: inputErrorMessage(error) });
    }
  });
  return result;
}

/**
 * Reads the body of `PUT /exchange-rates`: an array of dated rates into
 * the reporting currency. A currency and day that an earlier entry set
 * is rejected.
 */
export function readExchangeRateList(
  body: unknown,
  reportingCurrency: string,
): ParsedList<ExchangeRateInput> {
  const list = readArray(body, 'exchange rates');
  const result: ParsedList<ExchangeRateInput> = { entries: [], rejected: [] };
  const seen = new Map<string, number>();

  list.forEach((entry, index) => {
    try {
      const input = readObject(
        entry,
        'send an object with currency, date and rate',
      );
      const rate = {
        currency: readRateField(input, 'currency'),
        date: readRateField(input, 'date'),
        rate: readRateField(input, 'rate'),
      };
      if (rate.currency === reportingCurrency) {
        throw new InputError(
          `Invalid exchange rate ${rate.currency} on ${rate.date}: ${rate.currency} is the reporting currency, whose rate is always 1`,
        );
      }
      validateExchangeRate(rate);

      const key = `${rate.currency} ${rate.date}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new InputError(
          `Invalid exchange rate ${rate.currency} on ${rate.date}: entry ${first} has the same currency and date`,
        );
      }
      seen.set(key, index);
      result.entries.push(rate);
    } catch (error) {
      result.rejected.push({ index, message: inputErrorMessage(error) });
    }
  });
  return result;
}

/** Reads `limit` of `GET /audit`: 1 to 1000, default 100. */
export function readAuditLimit(value: unknown): number {
  if (value === undefined) {
    return 100;
  }

  const limit = Number(value);
  if (
    typeof value !== 'string' ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 1000
  ) {
    throw new InputError(
      `Invalid limit ${JSON.stringify(
        value,
      )}; use a whole number from 1 to 1000`,
    );
  }
  return limit;
}

/** Reads the id of `DELETE /price-overrides/:id`. */
export function readOverrideId(value: string): number {
  if (!/^[1-9]\d{0,14}$/.test(value)) {
    throw new InputError(
      `Invalid override id ${JSON.stringify(
        value,
      )}; use an id that GET /price-overrides lists`,
    );
  }
  return Number(value);
}

function readObject(value: unknown, hint: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`Invalid body ${JSON.stringify(value)}; ${hint}`);
  }
  return value as Record<string, unknown>;
}

function readArray(value: unknown, itemName: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new InputError(
      `Invalid body; send a JSON array of ${itemName} with Content-Type application/json`,
    );
  }
  return value;
}

function readDay(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  const valid =
    typeof value === 'string' &&
    DAY_PATTERN.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(Date.parse(value)).toISOString().startsWith(value);

  if (!valid) {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(
        value ?? null,
      )}; use a UTC day such as 2026-11-30`,
    );
  }
  return value;
}

function readName(
  input: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = input[field];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      `Invalid ${field} ${JSON.stringify(
        value,
      )}; use the ${field} name as usage records store it, or leave ${field} out for all`,
    );
  }
  return value;
}

function readEntityRef(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }

  try {
    if (typeof value !== 'string') {
      throw new TypeError('not a string');
    }
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLowerCase();
  } catch {
    throw new InputError(
      `Invalid entityRef ${JSON.stringify(
        value,
      )}; use an entity ref such as component:default/support-assistant`,
    );
  }
}

function readRateField(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string') {
    throw new InputError(
      `Invalid exchange rate: ${field} ${JSON.stringify(
        value ?? null,
      )} is not a string; send currency, date and rate as strings, such as {"currency": "EUR", "date": "2026-01-01", "rate": "1.0842"}`,
    );
  }
  return value;
}

/**
 * Returns the message of an entry's validation error. The parsers throw
 * InputError for the cases they check and TypeError for shapes they do
 * not expect, such as a string in place of the tiers array.
 */
function inputErrorMessage(error: unknown): string {
  if (error instanceof InputError) {
    return error.message;
  }
  if (error instanceof TypeError) {
    return `Invalid entry: ${error.message}`;
  }
  throw error;
}
