import { FieldError } from '../ingest/normalizedRecord';
import { BillingConfig } from './billingConfig';
import {
  ExactDecimal,
  MAX_STORED_PICO,
  MAX_STORED_UNITS,
  formatExactDecimal,
  parseExactDecimal,
  parseFocusTimestamp,
  toPico,
  toTokens,
  tokensPerUnit,
  utcMonth,
} from './focusValues';

/** One FOCUS row of AI cost, validated, as the importer stores it. */
export interface BillingRecord {
  billingAccountId: string | null;
  /** Epoch milliseconds. */
  billingPeriodStart: number | null;
  billingPeriodEnd: number | null;
  chargePeriodStart: number;
  chargePeriodEnd: number;
  /** UTC month of chargePeriodStart, `YYYY-MM`. */
  usageMonth: string;
  /** Entity ref from the first configured tag present; null when none is. */
  entityRef: string | null;
  providerName: string | null;
  publisherName: string | null;
  serviceName: string;
  serviceCategory: string | null;
  serviceSubcategory: string | null;
  chargeCategory: ChargeCategory;
  chargeClass: string | null;
  skuId: string | null;
  skuPriceId: string | null;
  resourceId: string | null;
  billedCostPico: bigint;
  effectiveCostPico: bigint | null;
  billingCurrency: string;
  /** Exact decimal string as in the file, trailing zeros removed. */
  consumedQuantity: string | null;
  consumedUnit: string | null;
  /** Consumed quantity in tokens when its unit is a token unit. */
  tokens: bigint | null;
  /** Tags as JSON text. */
  tags: string | null;
}

/** ChargeCategory values of FOCUS 1.0 to 1.2. */
export const CHARGE_CATEGORIES = [
  'Usage',
  'Purchase',
  'Tax',
  'Credit',
  'Adjustment',
] as const;

/** A ChargeCategory value. */
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** Values of one row by column name; null for NULL and empty fields. */
export type FocusRow = ReadonlyMap<string, string | null>;

/**
 * Tells whether a row counts as AI cost: its ServiceCategory is one of
 * `serviceCategories` or its ServiceName is one of `serviceNames`. Both
 * comparisons are exact, as FOCUS fixes the category values.
 */
export function isAiRow(row: FocusRow, config: BillingConfig): boolean {
  const category = text(row, 'ServiceCategory');
  const name = text(row, 'ServiceName');
  return (
    (category !== null && config.serviceCategories.includes(category)) ||
    (name !== null && config.serviceNames.includes(name))
  );
}

/**
 * Validates a row that counts as AI cost. Throws FieldError naming the
 * column, the value and the expected form.
 */
export function toBillingRecord(
  row: FocusRow,
  config: BillingConfig,
): BillingRecord {
  const chargePeriodStart = requiredTimestamp(row, 'ChargePeriodStart');
  const chargePeriodEnd = requiredTimestamp(row, 'ChargePeriodEnd');
  const chargeCategory = readChargeCategory(row);
  const consumed = optionalDecimal(row, 'ConsumedQuantity');
  const tags = readTags(row);

  return {
    billingAccountId: text(row, 'BillingAccountId'),
    billingPeriodStart: optionalTimestamp(row, 'BillingPeriodStart'),
    billingPeriodEnd: optionalTimestamp(row, 'BillingPeriodEnd'),
    chargePeriodStart,
    chargePeriodEnd,
    usageMonth: utcMonth(chargePeriodStart),
    entityRef: readEntityRef(tags, config.entityTags),
    providerName: text(row, 'ProviderName'),
    publisherName: text(row, 'PublisherName'),
    serviceName: requiredText(row, 'ServiceName'),
    serviceCategory: text(row, 'ServiceCategory'),
    serviceSubcategory: text(row, 'ServiceSubcategory'),
    chargeCategory,
    chargeClass: text(row, 'ChargeClass'),
    skuId: text(row, 'SkuId'),
    skuPriceId: text(row, 'SkuPriceId'),
    resourceId: text(row, 'ResourceId'),
    billedCostPico: requiredCost(row, 'BilledCost'),
    effectiveCostPico: optionalCost(row, 'EffectiveCost'),
    billingCurrency: readCurrency(row),
    consumedQuantity: consumed ? formatExactDecimal(consumed) : null,
    consumedUnit: text(row, 'ConsumedUnit'),
    tokens: readTokens(row, consumed, chargeCategory),
    tags: tags ? JSON.stringify(tags) : null,
  };
}

function text(row: FocusRow, column: string): string | null {
  return row.get(column) ?? null;
}

function requiredText(row: FocusRow, column: string): string {
  const value = text(row, column);
  if (value === null) {
    throw new FieldError(column, `${column} is empty; FOCUS requires a value`);
  }
  return value;
}

function optionalTimestamp(row: FocusRow, column: string): number | null {
  const value = text(row, column);
  if (value === null) {
    return null;
  }
  const millis = parseFocusTimestamp(value);
  if (millis === undefined) {
    throw new FieldError(
      column,
      `Invalid ${column} ${JSON.stringify(
        value,
      )}; use an ISO 8601 UTC date-time such as 2024-09-18T22:00:00Z`,
    );
  }
  return millis;
}

function requiredTimestamp(row: FocusRow, column: string): number {
  requiredText(row, column);
  return optionalTimestamp(row, column)!;
}

function optionalDecimal(
  row: FocusRow,
  column: string,
): ExactDecimal | undefined {
  const value = text(row, column);
  if (value === null) {
    return undefined;
  }
  const decimal = parseExactDecimal(value);
  if (!decimal) {
    throw new FieldError(
      column,
      `Invalid ${column} ${JSON.stringify(
        value,
      )}; use a plain decimal number such as -2.6137 or 0.0000008, without currency symbols or thousands separators`,
    );
  }
  return decimal;
}

function optionalCost(row: FocusRow, column: string): bigint | null {
  const decimal = optionalDecimal(row, column);
  if (!decimal) {
    return null;
  }
  const pico = toPico(decimal);
  if (pico > MAX_STORED_PICO || -pico > MAX_STORED_PICO) {
    throw new FieldError(
      column,
      `${column} ${formatExactDecimal(
        decimal,
      )} is outside the stored range of ±${MAX_STORED_UNITS}; split the charge into smaller rows`,
    );
  }
  return pico;
}

function requiredCost(row: FocusRow, column: string): bigint {
  requiredText(row, column);
  return optionalCost(row, column)!;
}

function readChargeCategory(row: FocusRow): ChargeCategory {
  const value = requiredText(row, 'ChargeCategory');
  if (!(CHARGE_CATEGORIES as readonly string[]).includes(value)) {
    throw new FieldError(
      'ChargeCategory',
      `Invalid ChargeCategory ${JSON.stringify(
        value,
      )}; use one of ${CHARGE_CATEGORIES.join(', ')}`,
    );
  }
  return value as ChargeCategory;
}

function readCurrency(row: FocusRow): string {
  const value = requiredText(row, 'BillingCurrency');
  if (!/^[A-Z]{3}$/.test(value)) {
    throw new FieldError(
      'BillingCurrency',
      `Invalid BillingCurrency ${JSON.stringify(
        value,
      )}; use a 3-letter ISO 4217 code such as USD`,
    );
  }
  return value;
}

/**
 * Reads tokens from ConsumedQuantity when ConsumedUnit is a token unit.
 * Without a consumed quantity, a Usage row falls back to PricingQuantity
 * and PricingUnit. Other charge categories have no tokens, because a
 * purchase of prepaid tokens is not consumption.
 */
function readTokens(
  row: FocusRow,
  consumed: ExactDecimal | undefined,
  chargeCategory: ChargeCategory,
): bigint | null {
  const consumedUnit = row.get('ConsumedUnit');
  const consumedPerUnit = consumedUnit
    ? tokensPerUnit(consumedUnit)
    : undefined;
  if (consumed && consumedPerUnit) {
    return toTokens(consumed, consumedPerUnit);
  }

  const pricingUnit = row.get('PricingUnit');
  const pricingPerUnit = pricingUnit ? tokensPerUnit(pricingUnit) : undefined;
  if (consumed || !pricingPerUnit || chargeCategory !== 'Usage') {
    return null;
  }
  const pricing = optionalDecimal(row, 'PricingQuantity');
  return pricing ? toTokens(pricing, pricingPerUnit) : null;
}

function readTags(row: FocusRow): Record<string, unknown> | undefined {
  const value = text(row, 'Tags');
  if (value === null) {
    return undefined;
  }

  let tags: unknown;
  try {
    tags = JSON.parse(value);
  } catch (error) {
    throw new FieldError(
      'Tags',
      `Invalid Tags ${JSON.stringify(value.slice(0, 200))}: ${
        (error as Error).message
      }; write a JSON object such as {"backstage-entity": "component:default/chat"}`,
    );
  }
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new FieldError(
      'Tags',
      `Invalid Tags ${JSON.stringify(
        value.slice(0, 200),
      )}; write a JSON object of tag keys and values`,
    );
  }
  return tags as Record<string, unknown>;
}

const ENTITY_REF_PATTERN =
  /^(?:([A-Za-z0-9._-]+):)?(?:([A-Za-z0-9._-]+)\/)?([A-Za-z0-9._-]+)$/;

/**
 * Reads the entity ref from the first configured tag present: a full ref
 * such as `component:default/chat`, or a bare name meaning
 * `component:default/<name>`. Refs are lower-cased, as the catalog
 * compares them without case.
 */
function readEntityRef(
  tags: Record<string, unknown> | undefined,
  entityTags: string[],
): string | null {
  const key = entityTags.find(tag => tags && Object.hasOwn(tags, tag));
  if (!tags || key === undefined) {
    return null;
  }

  const value = tags[key];
  const match =
    typeof value === 'string' ? ENTITY_REF_PATTERN.exec(value.trim()) : null;
  if (!match) {
    throw new FieldError(
      'Tags',
      `Invalid entity ref ${JSON.stringify(
        value,
      )} in tag ${key}; use kind:namespace/name such as component:default/chat, or a component name of letters, digits, ".", "_" and "-"`,
    );
  }
  const [, kind = 'component', namespace = 'default', name] = match;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}
