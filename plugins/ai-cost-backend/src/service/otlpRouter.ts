import { aiCostUsageCreatePermission } from '@ai-cost/plugin-ai-cost-common';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { actorOf, authorizeRequest } from './authorize';
import { isDatabaseUnavailableError } from './databaseUnavailable';
import { UsageIngestor } from '../ingest/UsageIngestor';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_RETRY_AFTER_SECONDS,
} from '../otlp/config';
import { decodeTraceRequestJson } from '../otlp/decodeJson';
import { decodeTraceRequestProtobuf } from '../otlp/decodeProtobuf';
import {
  OTLP_CONTENT_TYPES,
  OtlpEncoding,
  PartialSuccess,
  RPC_CODES,
  encodeExportResponse,
  encodeStatus,
} from '../otlp/exportResponse';
import { SpanBatch, describeSpan, spansToBatch } from '../otlp/spanToUsage';
import { OtlpDecodeError, OtlpSpan, TraceRequest } from '../otlp/types';
import { RecordError } from '../ingest/types';

/** Rejection reasons quoted in `partialSuccess.errorMessage`. */
const QUOTED_REJECTIONS = 3;

/** Shortest time between two warnings about rejected or unpriced spans. */
const WARNING_INTERVAL_MILLIS = 60_000;

/**
 * Counts rejected and unpriced spans and logs one warning with the counts
 * at most once per minute, with the first rejection reason of the period.
 */
class WarningCounter {
  private rejected = 0;
  private unpriced = 0;
  private firstReason?: string;
  private lastWarning = 0;

  constructor(private readonly logger: LoggerService) {}

  add(batch: SpanBatch, unpriced: number): void {
    this.rejected += batch.errors.length;
    this.unpriced += unpriced;
    this.firstReason ??= batch.errors[0]?.message;
    if (this.rejected + this.unpriced === 0) {
      return;
    }

    const now = Date.now();
    if (now - this.lastWarning < WARNING_INTERVAL_MILLIS) {
      return;
    }
    this.logger.warn(
      `OTLP receiver: ${this.rejected} spans rejected and ${
        this.unpriced
      } stored unpriced since the last warning${
        this.firstReason ? `; first rejection: ${this.firstReason}` : ''
      }`,
    );
    this.lastWarning = now;
    this.rejected = 0;
    this.unpriced = 0;
    this.firstReason = undefined;
  }
}

/** Dependencies and settings of the OTLP/HTTP traces receiver. */
export interface OtlpRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  ingestor: Pick<UsageIngestor, 'ingest'>;
  logger: LoggerService;
  /** Largest body in bytes after decompression. Default: 16 MiB. */
  maxBodyBytes?: number;
  /** Seconds in the Retry-After header of 503 responses. Default: 5. */
  retryAfterSeconds?: number;
}

/**
 * Creates the OTLP/HTTP traces receiver, `POST /v1/traces`, which stores
 * GenAI spans with token usage as usage records. It parses its own body,
 * so it must be mounted before routers with JSON body parsers.
 */
export function createOtlpRouter(options: OtlpRouterOptions): express.Router {
  const { httpAuth, permissions, ingestor, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const retryAfterSeconds =
    options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  // body-parser inflates gzip and deflate bodies and stops reading once
  // the decompressed size passes the limit.
  const readRaw = express.raw({
    type: () => true,
    limit: maxBodyBytes,
    inflate: true,
  });
  const warnings = new WarningCounter(logger);
  const router = Router();

  router.post('/v1/traces', async (req, res) => {
    const encoding = requestEncoding(req);
    if (!encoding) {
      sendStatus(
        res,
        'json',
        415,
        RPC_CODES.invalidArgument,
        `Unsupported content type ${JSON.stringify(
          req.headers['content-type'] ?? '',
        )}; send application/x-protobuf or application/json`,
      );
      return;
    }

    const credentials = await authorizeRequest({ httpAuth, permissions }, req, {
      permission: aiCostUsageCreatePermission,
      message: 'Not allowed to send usage records',
    });

    const body = await readBody(req, res, readRaw);
    if (!body.ok) {
      sendStatus(res, encoding, body.status, body.code, body.message);
      return;
    }

    let request: TraceRequest;
    try {
      request =
        encoding === 'protobuf'
          ? decodeTraceRequestProtobuf(body.bytes)
          : decodeTraceRequestJson(body.bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof OtlpDecodeError) {
        // 1f 8b starts every gzip stream (RFC 1952).
        const gzipHint =
          body.bytes[0] === 0x1f && body.bytes[1] === 0x8b
            ? '; the body looks like gzip data, so set Content-Encoding: gzip'
            : '';
        sendStatus(
          res,
          encoding,
          400,
          RPC_CODES.invalidArgument,
          `${error.message}${gzipHint}`,
        );
        return;
      }
      throw error;
    }

    const batch = spansToBatch(request.spans);
    let result;
    try {
      result = await ingestor.ingest(batch);
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) {
        throw error;
      }
      logger.warn(
        `OTLP export of ${request.spans.length} spans by ${actorOf(
          credentials,
        )} answered with 503: the usage database is unavailable`,
        error as Error,
      );
      res.setHeader('Retry-After', String(retryAfterSeconds));
      sendStatus(
        res,
        encoding,
        503,
        RPC_CODES.unavailable,
        `The usage database is unavailable; retry after ${retryAfterSeconds} seconds`,
      );
      return;
    }

    logger.debug(
      `OTLP export by ${actorOf(credentials)}: ${request.spans.length} spans, ${
        result.accepted
      } stored, ${result.duplicates} duplicates, ${
        batch.ignored['no usage']
      } without usage, ${
        batch.ignored['agent or tool operation']
      } agent or tool operations, ${result.unpriced} unpriced, ${
        batch.errors.length
      } rejected`,
    );
    warnings.add(batch, result.unpriced);

    res.status(200);
    res.type(OTLP_CONTENT_TYPES[encoding]);
    res.send(
      encodeExportResponse(
        encoding,
        partialSuccessOf(result.rejected, request.spans),
      ),
    );
  });

  return router;
}

function requestEncoding(req: express.Request): OtlpEncoding | undefined {
  const type = (req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type === OTLP_CONTENT_TYPES.protobuf) {
    return 'protobuf';
  }
  if (type === OTLP_CONTENT_TYPES.json) {
    return 'json';
  }
  return undefined;
}

type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: number; code: number; message: string };

/** Reads the raw body and turns body-parser's errors into responses. */
async function readBody(
  req: express.Request,
  res: express.Response,
  readRaw: express.RequestHandler,
): Promise<BodyResult> {
  try {
    await new Promise<void>((resolve, reject) => {
      readRaw(req, res, error => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    const { type, limit, status } = error as {
      type?: string;
      limit?: number;
      status?: number;
    };
    if (type === 'entity.too.large') {
      return {
        ok: false,
        status: 413,
        code: RPC_CODES.resourceExhausted,
        message: `Request body is larger than the limit of ${limit} bytes after decompression; send fewer spans per request`,
      };
    }
    if (type === 'encoding.unsupported') {
      return {
        ok: false,
        status: 415,
        code: RPC_CODES.invalidArgument,
        message: `Unsupported content encoding ${JSON.stringify(
          req.headers['content-encoding'],
        )}; send gzip or an uncompressed body`,
      };
    }
    // A zlib failure carries a Z_ code, such as Z_DATA_ERROR.
    const code = (error as { code?: unknown }).code;
    if (status === 400 && typeof code === 'string' && code.startsWith('Z_')) {
      return {
        ok: false,
        status: 400,
        code: RPC_CODES.invalidArgument,
        message: `Request body could not be decompressed (zlib ${code}); send valid gzip data`,
      };
    }
    throw error;
  }

  // body-parser leaves an empty object when the request has no body.
  const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  return { ok: true, bytes };
}

function sendStatus(
  res: express.Response,
  encoding: OtlpEncoding,
  status: number,
  code: number,
  message: string,
): void {
  res.status(status);
  res.type(OTLP_CONTENT_TYPES[encoding]);
  res.send(encodeStatus(encoding, code, message));
}

/**
 * Builds the partial success of a response from the rejected spans: those
 * that the mapping rejected, which name their span, and those that the
 * ingestor rejected, such as implausible times, which get the span's ids.
 */
function partialSuccessOf(
  rejected: RecordError[],
  spans: OtlpSpan[],
): PartialSuccess | undefined {
  if (rejected.length === 0) {
    return undefined;
  }
  const quoted = rejected.slice(0, QUOTED_REJECTIONS).map(error => {
    const span = spans[error.record];
    return error.message.startsWith('Span ') || !span
      ? error.message
      : `Span ${describeSpan(span)}: ${error.message}`;
  });
  const more = rejected.length - quoted.length;
  return {
    rejectedSpans: rejected.length,
    errorMessage: `${rejected.length} ${
      rejected.length === 1 ? 'span' : 'spans'
    } rejected: ${quoted.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
  };
}
