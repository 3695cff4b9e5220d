import { parseEntityRef } from '@backstage/catalog-model';
import { AI_COST_PHASES, AiCostPhase } from './annotations';

/**
 * Result of parsing one annotation value: the parsed value, or a message
 * that names what is wrong and the accepted forms.
 *
 * @public
 */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; message: string };

/**
 * An exact decimal amount with its ISO 4217 currency code.
 *
 * @public
 */
export interface MoneyAmount {
  /** Decimal string such as `2500` or `1.80`, never a float. */
  amount: string;
  currency: string;
}

/**
 * Budget periods that the budget annotation accepts.
 *
 * @public
 */
export const BUDGET_PERIODS = ['month', 'quarter', 'year'] as const;

/**
 * A spending limit over a calendar period.
 *
 * @public
 */
export interface Budget extends MoneyAmount {
  period: (typeof BUDGET_PERIODS)[number];
}

/**
 * One `key=value` condition of a usage selector.
 *
 * @public
 */
export interface UsageSelectorMatch {
  key: string;
  value: string;
}

const DECIMAL_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,6})?$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const COST_CENTER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const SELECTOR_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.\-]{0,127}$/;

/**
 * Parses a phase annotation such as `pilot`; letter case is ignored.
 *
 * @public
 */
export function parsePhase(raw: string): ParseResult<AiCostPhase> {
  const value = raw.trim().toLowerCase();

  if ((AI_COST_PHASES as readonly string[]).includes(value)) {
    return { ok: true, value: value as AiCostPhase };
  }

  return {
    ok: false,
    message: `"${raw}" is not a phase; use one of ${AI_COST_PHASES.join(', ')}`,
  };
}

/**
 * Parses an amount with its currency, such as `1.80 EUR`.
 *
 * @public
 */
export function parseMoneyAmount(raw: string): ParseResult<MoneyAmount> {
  const parts = raw.trim().split(/\s+/);
  const usage = `use a non-negative decimal amount with at most 6 decimals and a 3-letter currency code, such as "1.80 EUR"`;

  if (parts.length === 1 && DECIMAL_PATTERN.test(parts[0])) {
    return { ok: false, message: `"${raw.trim()}" has no currency; ${usage}` };
  }
  if (parts.length !== 2) {
    return { ok: false, message: `"${raw.trim()}" is not an amount; ${usage}` };
  }

  const [amount, currency] = parts;
  if (!DECIMAL_PATTERN.test(amount)) {
    return { ok: false, message: `"${amount}" is not an amount; ${usage}` };
  }
  if (!CURRENCY_PATTERN.test(currency)) {
    return { ok: false, message: `"${currency}" is not a currency; ${usage}` };
  }

  return { ok: true, value: { amount, currency } };
}

/**
 * Parses a budget such as `2500 USD/month`.
 *
 * @public
 */
export function parseBudget(raw: string): ParseResult<Budget> {
  const usage = `use "<amount> <currency>/<period>" with period ${BUDGET_PERIODS.join(
    ', ',
  )}, such as "2500 USD/month"`;
  const slash = raw.lastIndexOf('/');

  if (slash < 0) {
    return { ok: false, message: `"${raw}" has no period; ${usage}` };
  }

  const period = raw
    .slice(slash + 1)
    .trim()
    .toLowerCase();
  if (!(BUDGET_PERIODS as readonly string[]).includes(period)) {
    return { ok: false, message: `"${period}" is not a period; ${usage}` };
  }

  const money = parseMoneyAmount(raw.slice(0, slash));
  if (!money.ok) {
    return { ok: false, message: `${money.message.split(';')[0]}; ${usage}` };
  }

  return {
    ok: true,
    value: { ...money.value, period: period as Budget['period'] },
  };
}

/**
 * Parses a usage selector: one or more `key=value` conditions separated by
 * commas, all of which a usage record must match, such as
 * `service.name=support-assistant`.
 *
 * @public
 */
export function parseUsageSelector(
  raw: string,
): ParseResult<UsageSelectorMatch[]> {
  const usage = `use comma-separated key=value conditions, such as "service.name=support-assistant"`;
  const matches: UsageSelectorMatch[] = [];

  for (const part of raw.split(',')) {
    const separator = part.indexOf('=');
    const key = separator < 0 ? '' : part.slice(0, separator).trim();
    const value = separator < 0 ? '' : part.slice(separator + 1).trim();

    if (!SELECTOR_KEY_PATTERN.test(key) || value === '') {
      return {
        ok: false,
        message: `"${part.trim()}" is not a key=value condition; ${usage}`,
      };
    }
    matches.push({ key, value });
  }

  return { ok: true, value: matches };
}

/**
 * Parses a cost owner entity ref such as `group:default/support-ai`; a
 * bare name is read as a group in the default namespace.
 *
 * @public
 */
export function parseCostOwner(raw: string): ParseResult<string> {
  const usage = `use an entity ref such as "group:default/support-ai" or "user:default/jane"`;

  try {
    const ref = parseEntityRef(raw.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLowerCase();
    if (kind !== 'group' && kind !== 'user') {
      return {
        ok: false,
        message: `"${raw}" names a ${ref.kind}, not a group or user; ${usage}`,
      };
    }
    return { ok: true, value: `${kind}:${ref.namespace}/${ref.name}` };
  } catch {
    return { ok: false, message: `"${raw}" is not an entity ref; ${usage}` };
  }
}

/**
 * Parses a cost center code such as `CC-4711`.
 *
 * @public
 */
export function parseCostCenter(raw: string): ParseResult<string> {
  const value = raw.trim();

  if (COST_CENTER_PATTERN.test(value)) {
    return { ok: true, value };
  }

  return {
    ok: false,
    message: `"${raw}" is not a cost center; use 1 to 64 letters, digits, ".", "_", "-" or "/", starting with a letter or digit, such as "CC-4711"`,
  };
}

/**
 * Parses a task unit, the name of one business task such as
 * `resolved ticket`.
 *
 * @public
 */
export function parseTaskUnit(raw: string): ParseResult<string> {
  const value = raw.trim();

  if (value.length > 0 && value.length <= 100) {
    return { ok: true, value };
  }

  return {
    ok: false,
    message: `"${raw}" is not a task unit; use a short name of 1 to 100 characters, such as "resolved ticket"`,
  };
}
