import {
  AllocationResponse,
  EntityReconciliationResponse,
  FocusImportResponse,
  ReconciliationResponse,
  aiCostEntityReadPermission,
  aiCostPortfolioReadPermission,
  aiCostUsageCreatePermission,
} from '@ai-cost/plugin-ai-cost-common';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { createGunzip } from 'node:zlib';
import Router from 'express-promise-router';
import { BillingConfig } from '../billing/billingConfig';
import { BillingStore, MonthRange } from '../billing/BillingStore';
import { importFocusCsv } from '../billing/importFocus';
import { GetEstimatedCost, reconcile } from '../billing/reconcile';
import { actorOf, authorizeRequest } from './authorize';
import { readEntityRefParams } from './entityRefParams';
import {
  databaseUnavailableResponse,
  isDatabaseUnavailableError,
} from './databaseUnavailable';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../otlp/config';
import { getAllocation } from '../analytics/allocation';
import { UsageStore } from '../database/UsageStore';

/** Dependencies of the billing router. */
export interface BillingRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  store: BillingStore;
  config: BillingConfig;
  /** Priced usage cost per entity, month and currency, such as UsageStore.sumByEntityMonth. */
  getEstimated: GetEstimatedCost;
  /** Usage sums for allocation coverage. */
  usageStore: Pick<UsageStore, 'sumAllocation'>;
  /** Logger of the billing subsystem. */
  logger: LoggerService;
  /** Current time; tests fix it. */
  now?: () => Date;
  /** Seconds in the Retry-After header of 503 responses. Default: 5. */
  retryAfterSeconds?: number;
}

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const SOURCE_PATTERN = /^\P{Cc}{1,255}$/u;
/**
 * Returns the request body as a stream, gunzipped when the request has
 * `Content-Encoding: gzip`.
 *
 * @throws InputError naming any other encoding.
 */
function readBody(req: express.Request): AsyncIterable<Uint8Array | string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity')
    .toString()
    .trim()
    .toLowerCase();
  if (encoding === 'identity') {
    return req;
  }
  if (encoding === 'gzip') {
    return gunzipped(req);
  }
  throw new InputError(
    `Unsupported content encoding ${JSON.stringify(
      encoding,
    )}; send the FOCUS export uncompressed or with gzip`,
  );
}

/** Yields the gunzipped body; invalid gzip data is an InputError. */
async function* gunzipped(req: express.Request): AsyncIterable<Uint8Array> {
  try {
    yield* req.pipe(createGunzip());
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('Z_')) {
      throw new InputError(
        `Invalid gzip body (${code}); send valid gzip data or the CSV uncompressed`,
      );
    }
    throw error;
  }
}

/** Months in a range without `from`: the current month and the two before. */
const DEFAULT_MONTHS = 3;

/** Longest accepted range, in months. */
const MAX_MONTHS = 120;

/**
 * Creates the billing routes: FOCUS import, reconciliation of estimated
 * with billed cost, and allocation coverage over usage and billing. The import reads the request body as a
 * stream, so mount this router before any router that parses text/csv
 * bodies.
 */
export async function createBillingRouter(
  options: BillingRouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, store } = options;
  const now = options.now ?? (() => new Date());
  const router = Router();

  router.post('/billing/focus', async (req, res) => {
    const credentials = await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostUsageCreatePermission,
      message: `Not allowed to import billing data; this needs the permission ${aiCostUsageCreatePermission.name}`,
    });

    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('text/csv')) {
      throw new InputError(
        `Unsupported content type ${JSON.stringify(
          type,
        )}; send a FOCUS export as text/csv`,
      );
    }
    const source = readSource(req.query.source);

    let result;
    try {
      result = await importFocusCsv(readBody(req), {
        store,
        config: options.config,
        source,
        now,
      });
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) {
        throw error;
      }
      options.logger.warn(
        `FOCUS import of ${source} by ${actorOf(
          credentials,
        )} answered with 503: the usage database is unavailable`,
        error as Error,
      );
      // Row keys make a retry safe: rows stored before count as duplicates.
      throw databaseUnavailableResponse(
        res,
        options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
      );
    }
    const response: FocusImportResponse = result;
    const summary = `FOCUS import of ${source} by ${actorOf(
      credentials,
    )}: FOCUS ${result.focusVersion}, ${result.accepted} stored, ${
      result.duplicates
    } duplicates, ${result.skipped} not AI, ${result.unmapped} unmapped, ${
      result.rejectedCount
    } rejected`;

    if (result.rejectedCount > 0 || result.unmapped > 0) {
      options.logger.warn(summary);
    } else {
      options.logger.info(summary);
    }

    const valid = result.accepted + result.duplicates + result.skipped;
    if (valid > 0 || result.rejectedCount === 0) {
      res.json(response);
      return;
    }

    const first = result.rejected[0];
    res.status(400).json({
      error: {
        name: 'InputError',
        message: `All ${result.rejectedCount} rows rejected; first rejected row on line ${first.record}: ${first.message}`,
      },
      ...response,
    });
  });

  router.get('/reconciliation', async (req, res) => {
    await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostPortfolioReadPermission,
      message: `Not allowed to read the billing reconciliation of all entities; this needs the permission ${aiCostPortfolioReadPermission.name}`,
    });
    const range = readMonthRange(req.query, now());

    const [estimated, billed] = await Promise.all([
      options.getEstimated(range.fromMonth, range.toMonth),
      store.sumBilledCost(range),
    ]);
    const response: ReconciliationResponse = {
      from: range.fromMonth,
      to: range.toMonth,
      ...reconcile(estimated, billed.map(toCostSum)),
    };
    res.json(response);
  });

  router.get('/allocation', async (req, res) => {
    await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostPortfolioReadPermission,
      message: `Not allowed to read the cost allocation of all entities; this needs the permission ${aiCostPortfolioReadPermission.name}`,
    });
    const response: AllocationResponse = await getAllocation({
      usageStore: options.usageStore,
      getBilledCost: range => store.sumBilledCost(range),
      range: readMonthRange(req.query, now()),
    });
    res.json(response);
  });

  router.get(
    '/entities/:kind/:namespace/:name/reconciliation',
    async (req, res) => {
      const entityRef = readEntityRefParams(req.params, 'reconciliation');
      const credentials = await authorizeRequest(
        { httpAuth, permissions },
        req,
        {
          permission: aiCostEntityReadPermission,
          resourceRef: entityRef,
          message: `Not allowed to read the cost of ${entityRef}`,
        },
      );
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      const range = readMonthRange(req.query, now());

      const [estimated, billed] = await Promise.all([
        options.getEstimated(range.fromMonth, range.toMonth),
        store.sumBilledCost(range, entityRef),
      ]);
      const { entities } = reconcile(
        estimated.filter(sum => sum.entityRef === entityRef),
        billed.map(toCostSum),
      );
      const response: EntityReconciliationResponse = {
        entityRef,
        from: range.fromMonth,
        to: range.toMonth,
        months: entities,
      };
      res.json(response);
    },
  );

  return router;
}

function toCostSum(sum: {
  entityRef: string | null;
  month: string;
  currency: string;
  billedCostPico: bigint;
}) {
  return {
    entityRef: sum.entityRef,
    month: sum.month,
    currency: sum.currency,
    costPico: sum.billedCostPico,
  };
}

function readSource(value: unknown): string {
  if (value === undefined) {
    return 'api';
  }
  if (typeof value !== 'string' || !SOURCE_PATTERN.test(value)) {
    throw new InputError(
      `Invalid source ${JSON.stringify(
        value,
      )}; use a name of 1 to 255 characters, such as the file name`,
    );
  }
  return value;
}

function readMonth(value: unknown, key: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || !MONTH_PATTERN.test(value)) {
    throw new InputError(
      `Invalid ${key} ${JSON.stringify(
        value,
      )}; use a UTC month such as 2024-09`,
    );
  }
  return value;
}

function addMonths(month: string, count: number): string {
  const [year, monthNumber] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, monthNumber - 1 + count, 1));
  return date.toISOString().slice(0, 7);
}

function monthsBetween(from: string, to: string): number {
  const [fromYear, fromMonth] = from.split('-').map(Number);
  const [toYear, toMonth] = to.split('-').map(Number);
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
}

/**
 * Reads `from` and `to` (UTC months, inclusive). Without `to` the range
 * ends with the current month; without `from` it spans three months.
 */
function readMonthRange(query: Record<string, unknown>, now: Date): MonthRange {
  const toMonth = readMonth(query.to, 'to') ?? now.toISOString().slice(0, 7);
  const fromMonth =
    readMonth(query.from, 'from') ?? addMonths(toMonth, 1 - DEFAULT_MONTHS);

  if (fromMonth > toMonth) {
    throw new InputError(
      `Invalid range: from ${fromMonth} is after to ${toMonth}`,
    );
  }
  if (monthsBetween(fromMonth, toMonth) > MAX_MONTHS) {
    throw new InputError(
      `Invalid range: ${fromMonth} to ${toMonth} spans more than ${MAX_MONTHS} months; choose a shorter range`,
    );
  }
  return { fromMonth, toMonth };
}
