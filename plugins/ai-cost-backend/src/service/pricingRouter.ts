import {
  PriceOverrideResponse,
  aiCostPricesManagePermission,
} from '@ai-cost/plugin-ai-cost-common';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { PriceStore, StoredPriceOverride } from '../database/PriceStore';
import { UsageStore } from '../database/UsageStore';
import { parseOverrideInput } from '../pricing/overrideInput';
import { PricingService } from '../pricing/PricingService';
import { repriceUsage } from '../pricing/repriceUsage';
import { schedulesToJson } from '../pricing/scheduleJson';
import {
  ParsedList,
  readAuditLimit,
  readExchangeRateList,
  readOverrideId,
  readPriceList,
  readRepriceBody,
} from './pricingBodies';
import { describeBodyError } from './router';
import { actorOf, authorizeRequest } from './authorize';

/** Largest accepted request body, enough for a full vendor price sheet. */
const BODY_LIMIT = '20mb';

/** Dependencies of the pricing router. */
export interface PricingRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  usageStore: UsageStore;
  priceStore: PriceStore;
  pricing: Pick<PricingService, 'getPriceBook' | 'invalidate' | 'syncPrices'>;
  /** ISO 4217 code of the reporting currency. */
  reportingCurrency: string;
  /** Tolerance of priceUsage in percent, 1 when absent. */
  providerCostTolerancePercent?: string;
  /** Records per repricing batch, lowered by tests. */
  repriceBatchSize?: number;
  /** Logger of the pricing subsystem. */
  logger: LoggerService;
}

/**
 * Creates the routes that manage prices: negotiated overrides, exchange
 * rates, prices sent through the API, the audit log and repricing. Reads
 * need user or service credentials, and changes `ai-cost.prices.manage`.
 */
export async function createPricingRouter(
  options: PricingRouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, priceStore, pricing, logger } = options;
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use(describeBodyError);

  /** Checks the manage permission and returns the caller's credentials. */
  function authorizeManage(req: express.Request, action: string) {
    return authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostPricesManagePermission,
      message: `Not allowed to ${action}; this needs the permission ${aiCostPricesManagePermission.name}`,
    });
  }

  /** Logs how many entries of a list body were rejected, if any. */
  function logRejected(itemName: string, actor: string, count: number) {
    if (count > 0) {
      logger.warn(`Rejected ${count} ${itemName} entries from ${actor}`);
    }
  }

  router.get('/price-overrides', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const overrides = await priceStore.listOverrides();

    res.json({ items: overrides.map(toOverrideResponse) });
  });

  router.post('/price-overrides', async (req, res) => {
    const credentials = await authorizeManage(req, 'change price overrides');
    const input = parseOverrideInput(req.body);
    const actor = actorOf(credentials);

    const stored = await priceStore.createOverride(input, {
      actor,
      sourceKind: 'api',
    });
    pricing.invalidate();
    logger.info(
      `Override ${stored.id} of ${stored.provider}/${
        stored.model ?? '*'
      } created by ${actor}`,
    );

    res.status(201).json(toOverrideResponse(stored));
  });

  router.delete('/price-overrides/:id', async (req, res) => {
    const credentials = await authorizeManage(req, 'change price overrides');
    const id = readOverrideId(req.params.id);
    const actor = actorOf(credentials);

    const override = (await priceStore.listOverrides()).find(
      candidate => candidate.id === id,
    );
    if (!override) {
      throw new NotFoundError(
        `No override ${id}; GET /price-overrides lists the current ones`,
      );
    }
    if (override.sourceKind === 'config') {
      throw new ConflictError(
        `Override ${id} comes from app-config; remove it from aiCost.overrides, because each start creates it again`,
      );
    }
    if (!(await priceStore.deleteOverride(id, actor))) {
      throw new NotFoundError(
        `No override ${id}; another request deleted it first`,
      );
    }
    pricing.invalidate();
    logger.info(`Override ${id} deleted by ${actor}`);

    res.status(204).end();
  });

  router.get('/exchange-rates', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const rates = await priceStore.listExchangeRates();

    res.json({
      reportingCurrency: options.reportingCurrency,
      items: rates.map(({ currency, date, rate }) => ({
        currency,
        date,
        rate,
      })),
    });
  });

  router.put('/exchange-rates', async (req, res) => {
    const credentials = await authorizeManage(req, 'change exchange rates');
    const { entries, rejected } = readExchangeRateList(
      req.body,
      options.reportingCurrency,
    );
    const actor = actorOf(credentials);

    await priceStore.upsertExchangeRates(entries, actor);
    pricing.invalidate();
    logRejected('exchange rate', actor, rejected.length);
    logger.info(`Exchange rates from ${actor}: ${entries.length} stored`);

    sendListResult(
      res,
      { stored: entries.length },
      { entries, rejected },
      'exchange rate',
    );
  });

  router.post('/prices', async (req, res) => {
    const credentials = await authorizeManage(req, 'change prices');
    const list = readPriceList(req.body);
    const actor = actorOf(credentials);

    // syncPrices audits and logs the change and rebuilds the price book.
    const result = await pricing.syncPrices(list.entries, 'api', actor);
    logRejected('price', actor, list.rejected.length);

    // API entries are additions, so the store retires none (`removed`).
    const { added, changed, unchanged } = result;
    sendListResult(res, { added, changed, unchanged }, list, 'price');
  });

  router.get('/audit', async (req, res) => {
    await authorizeManage(req, 'read the audit log');
    const limit = readAuditLimit(req.query.limit);

    res.json({ items: await priceStore.listAudit({ limit }) });
  });

  router.post('/reprice', async (req, res) => {
    const credentials = await authorizeManage(req, 'reprice usage');
    const { filter, dryRun } = readRepriceBody(req.body);
    const actor = actorOf(credentials);

    const result = await repriceUsage({
      usageStore: options.usageStore,
      priceStore,
      priceBook: await pricing.getPriceBook(),
      filter,
      dryRun,
      actor,
      providerCostTolerancePercent: options.providerCostTolerancePercent,
      batchSize: options.repriceBatchSize,
    });
    logger.info(
      `Repricing of usage from ${filter.fromDate} to ${
        filter.toDate
      } by ${actor}${dryRun ? ' (dry run)' : ''}: ${result.records} records, ${
        result.changed
      } changed, cost ${result.costBefore} to ${result.costAfter} ${
        result.currency
      }`,
    );

    res.json(result);
  });

  return router;
}

/** User entity ref of a user, subject of a service. */
/**
 * Sends the result of a list body: 200 when every entry was valid, else
 * 400 with the rejected entries. Valid entries are stored either way.
 */
function sendListResult(
  res: express.Response,
  result: Record<string, unknown>,
  list: ParsedList<unknown>,
  itemName: string,
) {
  const { rejected } = list;
  if (rejected.length === 0) {
    res.json({ ...result, rejected });
    return;
  }

  const first = rejected[0];
  res.status(400).json({
    error: {
      name: 'InputError',
      message: `${rejected.length} of ${
        rejected.length + list.entries.length
      } ${itemName} entries rejected and ${
        list.entries.length
      } accepted; first rejected entry ${first.index}: ${first.message}`,
    },
    ...result,
    rejected,
  });
}

function toOverrideResponse(
  override: StoredPriceOverride,
): PriceOverrideResponse {
  return {
    id: override.id,
    provider: override.provider,
    model: override.model ?? null,
    effectiveFrom: new Date(override.effectiveFrom).toISOString(),
    effectiveTo:
      override.effectiveTo === undefined
        ? null
        : new Date(override.effectiveTo).toISOString(),
    discountPercent: override.discountPercent ?? null,
    currency: override.currency ?? null,
    schedules: override.schedules
      ? JSON.parse(schedulesToJson(override.schedules))
      : null,
    sourceKind: override.sourceKind,
    createdAt: override.createdAt,
    createdBy: override.createdBy,
  };
}
