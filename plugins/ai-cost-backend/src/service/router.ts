import {
  UsageImportSummary,
  aiCostEntityReadPermission,
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
import Router from 'express-promise-router';
import { actorOf, authorizeRequest } from './authorize';
import { readEntityRefParams } from './entityRefParams';
import {
  databaseUnavailableResponse,
  isDatabaseUnavailableError,
} from './databaseUnavailable';
import { CostRange, getEntityCost } from '../analytics/entityCost';
import { parseTimeZone } from '../database/localDays';
import { AzureTraceTarget } from '../config';
import { UsageStore } from '../database/UsageStore';
import { PriceStore } from '../database/PriceStore';
import { schedulesToJson } from '../pricing/scheduleJson';
import { UsageIngestor } from '../ingest/UsageIngestor';
import { DEFAULT_RETRY_AFTER_SECONDS } from '../otlp/config';
import {
  ReadBatch,
  ReadOptions,
  USAGE_FORMATS,
  UsageFormat,
  readCsv,
  readJson,
  readJsonLines,
} from '../ingest/readers';

/** Largest accepted request body. */
const BODY_LIMIT = '20mb';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Dependencies of the plugin's router. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  store: UsageStore;
  priceStore: PriceStore;
  ingestor: UsageIngestor;
  currency: string;
  azureTrace: Record<string, AzureTraceTarget>;
  /** Logger of the ingest subsystem. */
  logger: LoggerService;
  /**
   * Seconds in the Retry-After header of 503 responses to POST /usage
   * while the database is unavailable. Default: 5.
   */
  retryAfterSeconds?: number;
  /** Current time; tests fix it. */
  now?: () => Date;
}

/** Creates the REST API of the plugin. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, store, priceStore, ingestor } =
    options;
  const now = options.now ?? (() => new Date());
  const retryAfterSeconds =
    options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  const router = Router();

  router.use(express.json({ limit: BODY_LIMIT }));
  router.use(
    express.text({
      type: ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      limit: BODY_LIMIT,
    }),
  );
  router.use(describeBodyError);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entities/:kind/:namespace/:name/cost', async (req, res) => {
    const entityRef = readEntityRefParams(req.params, 'cost');

    const credentials = await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostEntityReadPermission,
      resourceRef: entityRef,
      message: `Not allowed to read the cost of ${entityRef}`,
    });

    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }

    res.json(
      await getEntityCost({
        store,
        entityRef,
        currency: options.currency,
        range: readRange(req.query),
        now: now(),
      }),
    );
  });

  router.post('/usage', async (req, res) => {
    const credentials = await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostUsageCreatePermission,
      message: 'Not allowed to send usage records',
    });

    const batch = await readBody(
      req,
      readOptions(req.query, options.azureTrace),
    );
    let imported;
    try {
      imported = await ingestor.ingest(batch);
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) {
        throw error;
      }
      options.logger.warn(
        `Usage import of ${batch.records.length} records by ${actorOf(
          credentials,
        )} answered with 503: the usage database is unavailable`,
        error as Error,
      );
      // Request ids make a retry safe: records stored before count as
      // duplicates.
      throw databaseUnavailableResponse(res, retryAfterSeconds);
    }
    const result: UsageImportSummary =
      batch.skipped.length > 0
        ? { ...imported, skipped: batch.skipped }
        : imported;
    const summary = `Usage import by ${actorOf(credentials)}: ${
      result.accepted
    } stored, ${result.duplicates} duplicates, ${result.unpriced} unpriced, ${
      result.unallocated
    } unallocated, ${result.rejected.length} rejected, ${batch.skipped.reduce(
      (sum, skipped) => sum + skipped.records,
      0,
    )} skipped`;

    if (result.unpriced > 0 || result.rejected.length > 0) {
      options.logger.warn(summary);
    } else {
      options.logger.info(summary);
    }

    if (result.rejected.length === 0) {
      res.json(result);
      return;
    }

    const first = result.rejected[0];
    res.status(400).json({
      error: {
        name: 'InputError',
        message: `${result.rejected.length} ${
          result.rejected.length === 1 ? 'record' : 'records'
        } rejected, ${result.accepted} stored and ${
          result.duplicates
        } duplicates skipped; first rejected record ${first.record}: ${
          first.message
        }`,
      },
      ...result,
    });
  });

  router.get('/prices', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const versions = await priceStore.listPriceVersions({
      includeRetired: req.query.includeRetired === 'true',
    });

    res.json({
      items: versions.map(version => ({
        id: version.id,
        provider: version.provider,
        model: version.model,
        effectiveFrom: new Date(version.effectiveFrom).toISOString(),
        effectiveTo:
          version.effectiveTo === undefined
            ? null
            : new Date(version.effectiveTo).toISOString(),
        currency: version.currency,
        dynamic: version.dynamic ?? false,
        schedules: JSON.parse(schedulesToJson(version.schedules)),
        source: version.source ?? null,
        sourceKind: version.sourceKind,
        createdAt: version.createdAt,
        retiredAt: version.retiredAt ?? null,
      })),
    });
  });

  return router;
}

/**
 * Rewrites body-parser's errors for a body that is not JSON, too large or
 * not decodable. The first carries the whole body, which the response
 * would echo, and the others ("request entity too large", "Bad Request")
 * name neither the limit nor the fix. Other errors pass unchanged.
 */
export function describeBodyError(
  error: unknown,
  _req: express.Request,
  _res: express.Response,
  next: express.NextFunction,
): void {
  const { type, limit, code, status } = error as {
    type?: unknown;
    limit?: unknown;
    code?: unknown;
    status?: unknown;
  };
  if (type === 'entity.parse.failed') {
    // The parser's error carries the whole body, which the error handler
    // would send back; the new error names only the parser's reason.
    const reason = String((error as Error).message).slice(0, 200);
    next(
      new InputError(
        `Request body is not valid JSON (${reason}); send JSON as application/json, JSON Lines as application/x-ndjson or CSV as text/csv`,
      ),
    );
    return;
  }
  if (type === 'entity.too.large') {
    (
      error as Error
    ).message = `Request body is larger than the limit of ${limit} bytes after decompression; send the records in several requests, with lineOffset for CSV and JSON Lines`;
    next(error);
    return;
  }
  // A zlib failure carries a Z_ code, such as Z_DATA_ERROR.
  if (status === 400 && typeof code === 'string' && code.startsWith('Z_')) {
    next(
      new InputError(
        `Request body could not be decompressed (zlib ${code}); send valid gzip or deflate data, or an uncompressed body`,
      ),
    );
    return;
  }
  next(error);
}

function isCalendarDay(value: string): boolean {
  const millis = Date.parse(`${value}T00:00:00Z`);
  return (
    DAY_PATTERN.test(value) &&
    !Number.isNaN(millis) &&
    new Date(millis).toISOString().slice(0, 10) === value
  );
}

function readRange(query: Record<string, unknown>): CostRange {
  const range: CostRange = {};

  if (query.timeZone !== undefined) {
    if (typeof query.timeZone !== 'string') {
      throw new InputError(
        'Invalid timeZone; give one IANA name such as Europe/Berlin',
      );
    }
    range.timeZone = parseTimeZone(query.timeZone);
  }

  for (const key of ['from', 'to'] as const) {
    const value = query[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string' || !isCalendarDay(value)) {
      throw new InputError(
        `Invalid ${key} ${JSON.stringify(value)}; use a day such as 2026-11-30`,
      );
    }
    range[key] = value;
  }

  if (query.days !== undefined) {
    const days = Number(query.days);
    if (!Number.isInteger(days) || days < 1 || days > 3660) {
      throw new InputError(
        `Invalid days ${JSON.stringify(
          query.days,
        )}; use a whole number from 1 to 3660`,
      );
    }
    range.days = days;
  }

  if (range.from && range.to && range.from > range.to) {
    throw new InputError(
      `Invalid range: from ${range.from} is after to ${range.to}`,
    );
  }
  return range;
}

function readOptions(
  query: Record<string, unknown>,
  azureTraces: Record<string, AzureTraceTarget>,
): ReadOptions {
  const format = (query.format ?? 'normalized') as UsageFormat;
  if (!USAGE_FORMATS.includes(format)) {
    throw new InputError(
      `Invalid format ${JSON.stringify(
        query.format,
      )}; use one of ${USAGE_FORMATS.join(', ')}`,
    );
  }

  const lineOffset = Number(query.lineOffset ?? 0);
  if (!Number.isInteger(lineOffset) || lineOffset < 0) {
    throw new InputError(
      `Invalid lineOffset ${JSON.stringify(
        query.lineOffset,
      )}; use a whole number of lines sent before`,
    );
  }

  if (format !== 'azure-llm-trace') {
    return { format, lineOffset };
  }

  const name = String(query.trace ?? '');
  const target = Object.hasOwn(azureTraces, name)
    ? azureTraces[name]
    : undefined;
  if (!target) {
    throw new InputError(
      `Invalid trace ${JSON.stringify(
        query.trace,
      )}; configure aiCost.azureTrace.${
        name || '<name>'
      } with entityRef, provider and model, or use one of: ${
        Object.keys(azureTraces).join(', ') || 'none configured'
      }`,
    );
  }
  return { format, lineOffset, azureTrace: { name, ...target } };
}

async function readBody(
  req: express.Request,
  options: ReadOptions,
): Promise<ReadBatch> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();

  if (typeof req.body === 'string' && type.startsWith('text/csv')) {
    return readCsv(req.body, options);
  }
  if (typeof req.body === 'string') {
    return readJsonLines(req.body, options);
  }
  if (type.startsWith('application/json')) {
    return readJson(req.body, options);
  }
  throw new InputError(
    `Unsupported content type ${JSON.stringify(
      type,
    )}; send application/json, application/x-ndjson or text/csv`,
  );
}
