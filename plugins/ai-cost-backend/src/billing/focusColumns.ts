import { InputError } from '@backstage/errors';

/** FOCUS versions that the importer reads. */
export const FOCUS_VERSIONS = ['1.0', '1.1', '1.2'] as const;

/** A FOCUS version. */
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

/**
 * Columns that the importer needs; FOCUS 1.0 to 1.2 make all of them
 * mandatory. ServiceCategory is mandatory too, but the importer only reads
 * it when present, because the virtual-currency examples of the FOCUS
 * specification omit it.
 */
export const REQUIRED_COLUMNS = [
  'BilledCost',
  'BillingCurrency',
  'ChargeCategory',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ServiceName',
];

/**
 * Columns that a FOCUS version added, per the FOCUS changelog and the
 * "Introduced (version)" section of each column in the specification.
 */
const ADDED_COLUMNS: Record<'1.1' | '1.2', string[]> = {
  '1.1': [
    'CapacityReservationId',
    'CapacityReservationStatus',
    'CommitmentDiscountQuantity',
    'CommitmentDiscountUnit',
    'ServiceSubcategory',
    'SkuMeter',
    'SkuPriceDetails',
  ],
  '1.2': [
    'InvoiceId',
    'PricingCurrency',
    'PricingCurrencyContractedUnitPrice',
    'PricingCurrencyEffectiveCost',
    'PricingCurrencyListUnitPrice',
  ],
};

/**
 * Detects the FOCUS version from the header: 1.2 when a column that 1.2
 * added is present, else 1.1 when a column that 1.1 added is present,
 * else 1.0. A file has no version field, and an exporter may leave out
 * optional columns. So a 1.1 or 1.2 file without the added columns reads
 * as an earlier version, which is harmless because the importer treats
 * all three alike.
 */
export function detectFocusVersion(columns: string[]): FocusVersion {
  const present = new Set(columns);
  if (ADDED_COLUMNS['1.2'].some(column => present.has(column))) {
    return '1.2';
  }
  if (ADDED_COLUMNS['1.1'].some(column => present.has(column))) {
    return '1.1';
  }
  return '1.0';
}

/** Header of a FOCUS file: column positions and the detected version. */
export interface FocusHeader {
  columns: string[];
  version: FocusVersion;
}

/**
 * Checks the header of a FOCUS file. Throws an InputError naming the
 * missing required columns and every required column, or a repeated
 * column. Columns that the importer does not read, such as `x_` custom
 * columns, are allowed.
 */
export function readFocusHeader(fields: Array<string | null>): FocusHeader {
  const columns = fields.map(field => (field ?? '').trim());
  const missing = REQUIRED_COLUMNS.filter(column => !columns.includes(column));
  if (missing.length > 0) {
    throw new InputError(
      `FOCUS header lacks column ${missing.join(
        ', ',
      )}; a FOCUS 1.0, 1.1 or 1.2 cost export has the columns ${REQUIRED_COLUMNS.join(
        ', ',
      )}`,
    );
  }

  const repeated = columns.find(
    (column, index) => column !== '' && columns.indexOf(column) !== index,
  );
  if (repeated !== undefined) {
    throw new InputError(
      `FOCUS header has column ${repeated} twice; each column must appear once`,
    );
  }

  return { columns, version: detectFocusVersion(columns) };
}
