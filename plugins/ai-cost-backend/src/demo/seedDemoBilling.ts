import { LoggerService } from '@backstage/backend-plugin-api';
import { Readable } from 'node:stream';
import { BillingConfig } from '../billing/billingConfig';
import { BillingStore } from '../billing/BillingStore';
import { importFocusCsv } from '../billing/importFocus';
import { UsageStore } from '../database/UsageStore';
import { formatPico } from '../pricing/money';

/** Billed cost over estimated cost per demo entity, in basis points. */
const BILLED_OFFSET_BASIS_POINTS: Record<string, bigint> = {
  'component:default/support-assistant': 180n,
  'component:default/kb-rag-search': -60n,
  'component:default/contract-summariser': 420n,
  'component:default/code-review-bot': 90n,
  'component:default/sales-email-writer': 0n,
};

/** Monthly charge of an AI service that no entity tag names. */
const UNMAPPED_MONTHLY_CHARGE = '38.40';

const HEADER = [
  'BilledCost',
  'BillingCurrency',
  'ChargeCategory',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ServiceName',
  'ServiceCategory',
  'Tags',
];

/** A cent in pico-units; demo bills round to cents as invoices do. */
const CENT = 10_000_000_000n;

/**
 * Imports a demo FOCUS export for the months before the current one and
 * returns the rows stored. Each demo entity is billed its estimated cost
 * with a small offset, one entity also gets a credit, and an AI charge
 * without an entity tag lowers allocation coverage. One entity has no
 * bill, to show the empty state.
 */
export async function seedDemoBilling(options: {
  usageStore: UsageStore;
  billingStore: BillingStore;
  config: BillingConfig;
  now: Date;
  days: number;
  logger: LoggerService;
}): Promise<number> {
  const { now } = options;
  const lastMonth = monthOf(
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)),
  );
  const firstMonth = monthOf(
    new Date(now.getTime() - options.days * 86_400_000),
  );
  if (firstMonth > lastMonth) {
    return 0;
  }

  const estimated = await options.usageStore.sumByEntityMonth(
    firstMonth,
    lastMonth,
  );
  const tag = options.config.entityTags[0] ?? 'backstage-entity';
  const lines = [HEADER.join(',')];
  const months = new Set<string>();

  for (const row of estimated) {
    const offset =
      row.entityRef === null
        ? undefined
        : BILLED_OFFSET_BASIS_POINTS[row.entityRef];
    if (offset === undefined) {
      continue;
    }
    months.add(row.month);
    const billed = roundToCent((row.costPico * (10_000n + offset)) / 10_000n);
    lines.push(
      focusLine(row.month, formatPico(billed), row.currency, 'Usage', {
        [tag]: row.entityRef!,
      }),
    );
    if (row.entityRef === 'component:default/contract-summariser') {
      lines.push(
        focusLine(row.month, '-5.00', row.currency, 'Credit', {
          [tag]: row.entityRef,
        }),
      );
    }
  }
  for (const month of months) {
    lines.push(focusLine(month, UNMAPPED_MONTHLY_CHARGE, 'USD', 'Usage', {}));
  }

  const result = await importFocusCsv(Readable.from([lines.join('\r\n')]), {
    store: options.billingStore,
    config: options.config,
    source: 'demo-focus-export.csv',
    now: () => now,
  });
  options.logger.info(
    `Demo billing stored: ${result.accepted} FOCUS rows for ${months.size} months`,
  );
  return result.accepted;
}

function focusLine(
  month: string,
  billedCost: string,
  currency: string,
  chargeCategory: string,
  tags: Record<string, string>,
): string {
  const [year, monthNumber] = month.split('-').map(Number);
  const end = new Date(Date.UTC(year, monthNumber, 1)).toISOString();
  const tagsJson = JSON.stringify(tags).replace(/"/g, '""');
  return [
    billedCost,
    currency,
    chargeCategory,
    `${month}-01T00:00:00Z`,
    end.replace('.000Z', 'Z'),
    'Azure OpenAI',
    'AI and Machine Learning',
    Object.keys(tags).length > 0 ? `"${tagsJson}"` : 'NULL',
  ].join(',');
}

function roundToCent(pico: bigint): bigint {
  const half = pico < 0n ? -CENT / 2n : CENT / 2n;
  return ((pico + half) / CENT) * CENT;
}

function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
