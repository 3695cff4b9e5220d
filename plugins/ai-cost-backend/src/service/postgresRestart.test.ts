import { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import {
  IngestApp,
  startIngestApp,
  stopIngestApp,
} from '../__testUtils__/ingestApp';
import {
  ChatSpan,
  chatSpanJson,
  traceRequestJson,
} from '../__testUtils__/otlpJson';
import { PrivatePostgres } from '../__testUtils__/privatePostgres';

// A client sends unique usage continuously and retries like an OTLP
// exporter while the test restarts its own PostgreSQL cluster twice:
// once stopped for two seconds, once with `pg_ctl restart -m fast`.

jest.setTimeout(120_000);

const REQUESTS = 300;
const RECORDS_PER_REQUEST = 200;
/** Every USAGE_EVERY-th request goes to POST /usage, the others to OTLP. */
const USAGE_EVERY = 10;
const CONCURRENCY = 4;
const RETRY_AFTER_SECONDS = 1;
/** Attempts per request before the client gives it up. */
const MAX_ATTEMPTS = 30;
/** Statuses that OTLP/HTTP exporters retry. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Finished requests after which the server is stopped, then restarted. */
const STOP_AFTER = 60;
const RESTART_AFTER = 180;

/** Prices of gpt-4o in pico-USD per token: USD per million × 10^6. */
const INPUT_PICO = 2_500_000n;
const CACHED_INPUT_PICO = 1_250_000n;
const OUTPUT_PICO = 10_000_000n;

const START = Date.parse('2026-11-18T08:00:00Z');

/** Usage of one request of the run, as generated. */
interface SentBatch {
  path: '/v1/traces' | '/usage';
  /** Request body, and the content type and encoding it is sent with. */
  body: string | Buffer;
  contentType: string;
  contentEncoding?: string;
  records: ChatSpan[];
}

/** What the client saw over the run. */
interface ClientLog {
  succeeded: number;
  /** Requests that succeeded, failed or were given up. */
  finished: number;
  unavailable: Array<{ status: number; retryAfter?: string }>;
  otherFailures: Array<{ path: string; status: number; body: string }>;
  transportErrors: string[];
  givenUp: number[];
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

function buildBatches(): SentBatch[] {
  const batches: SentBatch[] = [];
  for (let index = 0; index < REQUESTS; index++) {
    const records: ChatSpan[] = [];
    for (let position = 0; position < RECORDS_PER_REQUEST; position++) {
      const serial = index * RECORDS_PER_REQUEST + position;
      records.push({
        traceId: hex(index + 1, 32),
        spanId: hex(serial + 1, 16),
        // Spread over six hours, so that several rollup buckets grow.
        endMillis: START + (serial % 6) * 3_600_000 + serial,
        model: 'gpt-4o',
        inputTokens: 100 + (serial % 997),
        cachedInputTokens: serial % 50,
        outputTokens: 10 + (serial % 89),
      });
    }

    if (index % USAGE_EVERY === USAGE_EVERY - 1) {
      const body = records.map(record => ({
        timestamp: new Date(record.endMillis).toISOString(),
        service: 'support-assistant',
        provider: 'openai',
        model: record.model,
        inputTokens: record.inputTokens,
        cachedInputTokens: record.cachedInputTokens,
        outputTokens: record.outputTokens,
        requestId: `restart-test:${record.traceId}:${record.spanId}`,
      }));
      batches.push({
        path: '/usage',
        body: JSON.stringify(body),
        contentType: 'application/json',
        records,
      });
      continue;
    }

    const text = JSON.stringify(
      traceRequestJson(records.map(record => chatSpanJson(record))),
    );
    // Every other OTLP request is gzip-compressed, as collectors send.
    batches.push({
      path: '/v1/traces',
      body: index % 2 === 0 ? gzipSync(text) : text,
      contentType: 'application/json',
      contentEncoding: index % 2 === 0 ? 'gzip' : undefined,
      records,
    });
  }
  return batches;
}

function sleep(millis: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, millis));
}

/**
 * Sends one batch until it succeeds, waiting Retry-After seconds after a
 * retryable status, as the OTLP exporters of the OpenTelemetry SDKs do.
 */
async function sendWithRetry(
  ingest: IngestApp,
  agent: Agent,
  batch: SentBatch,
  index: number,
  log: ClientLog,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let response: request.Response;
    try {
      const test = request(ingest.server)
        .post(batch.path)
        .agent(agent)
        .timeout(20_000)
        // Sends the bytes as they are; superagent would JSON-encode a Buffer.
        .serialize(body => body)
        .set('Content-Type', batch.contentType);
      if (batch.contentEncoding) {
        test.set('Content-Encoding', batch.contentEncoding);
      }
      response = await test.send(batch.body);
    } catch (error) {
      log.transportErrors.push(`${batch.path}: ${(error as Error).message}`);
      await sleep(RETRY_AFTER_SECONDS * 1000);
      continue;
    }

    if (response.status === 200) {
      log.succeeded += 1;
      log.finished += 1;
      return;
    }
    if (!RETRYABLE_STATUSES.has(response.status)) {
      log.otherFailures.push({
        path: batch.path,
        status: response.status,
        body: response.text.slice(0, 300),
      });
      log.finished += 1;
      return;
    }

    const retryAfter = response.headers['retry-after'];
    log.unavailable.push({ status: response.status, retryAfter });
    await sleep(Number(retryAfter ?? RETRY_AFTER_SECONDS) * 1000);
  }
  log.givenUp.push(index);
  log.finished += 1;
}

describe('PostgreSQL restart during ingest', () => {
  let cluster: PrivatePostgres | undefined;
  let knex: Knex | undefined;
  let ingest: IngestApp | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  beforeAll(async () => {
    cluster = await PrivatePostgres.start();
    knex = knexFactory({
      client: 'pg',
      connection: cluster.connectionString,
      // The pool settings that docs/otlp.md recommends.
      pool: { min: 0, max: 4 },
      acquireConnectionTimeout: 5_000,
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    ingest = await startIngestApp(knex, {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  });

  afterAll(async () => {
    agent.destroy();
    if (ingest) {
      await stopIngestApp(ingest.server);
    }
    await knex?.destroy();
    await cluster?.destroy();
  });

  it('stores every record exactly once', async () => {
    const batches = buildBatches();
    const log: ClientLog = {
      succeeded: 0,
      finished: 0,
      unavailable: [],
      otherFailures: [],
      transportErrors: [],
      givenUp: [],
    };

    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const index = next++;
        await sendWithRetry(ingest!, agent, batches[index], index, log);
      }
    };
    const waitForFinished = async (count: number) => {
      while (log.finished < count) {
        await sleep(10);
      }
    };
    const disrupt = async () => {
      await waitForFinished(STOP_AFTER);
      await cluster!.stopServer();
      await sleep(2_000);
      await cluster!.startServer();
      await waitForFinished(RESTART_AFTER);
      await cluster!.restartServer();
    };

    await Promise.all([
      disrupt(),
      ...Array.from({ length: CONCURRENCY }, worker),
    ]);

    const sent = batches.flatMap(batch => batch.records);
    let requests = 0n;
    let inputTokens = 0n;
    let cachedInputTokens = 0n;
    let outputTokens = 0n;
    let costPico = 0n;
    for (const record of sent) {
      const input = BigInt(record.inputTokens);
      const cached = BigInt(record.cachedInputTokens);
      const output = BigInt(record.outputTokens);
      requests += 1n;
      inputTokens += input;
      cachedInputTokens += cached;
      outputTokens += output;
      costPico +=
        (input - cached) * INPUT_PICO +
        cached * CACHED_INPUT_PICO +
        output * OUTPUT_PICO;
    }

    const [stored] = await knex!('ai_cost_usage_records').select(
      knex!.raw('CAST(COUNT(*) AS TEXT) AS records'),
      knex!.raw('CAST(COUNT(DISTINCT request_key) AS TEXT) AS keys'),
    );
    const [rollup] = await knex!('ai_cost_usage_hourly').select(
      knex!.raw('CAST(SUM(requests) AS TEXT) AS requests'),
      knex!.raw('CAST(SUM(input_tokens) AS TEXT) AS input_tokens'),
      knex!.raw(
        'CAST(SUM(cached_input_tokens) AS TEXT) AS cached_input_tokens',
      ),
      knex!.raw('CAST(SUM(output_tokens) AS TEXT) AS output_tokens'),
      knex!.raw('CAST(SUM(cost_pico) AS TEXT) AS cost_pico'),
    );

    expect(log.unavailable.length).toBeGreaterThan(0);
    expect(log.unavailable.filter(item => item.status !== 503)).toEqual([]);
    expect(
      log.unavailable.filter(
        item => item.retryAfter !== String(RETRY_AFTER_SECONDS),
      ),
    ).toEqual([]);
    expect(log.otherFailures).toEqual([]);
    expect(log.transportErrors).toEqual([]);
    expect(log.givenUp).toEqual([]);
    expect(log.succeeded).toBe(REQUESTS);
    expect(stored.records).toBe(String(sent.length));
    expect(stored.keys).toBe(String(sent.length));
    expect(rollup.requests).toBe(String(requests));
    expect(rollup.input_tokens).toBe(String(inputTokens));
    expect(rollup.cached_input_tokens).toBe(String(cachedInputTokens));
    expect(rollup.output_tokens).toBe(String(outputTokens));
    expect(rollup.cost_pico).toBe(String(costPico));
  });

  it('answers 503 while stopped', async () => {
    const [span] = buildBatches()[0].records;
    const otlpBody = JSON.stringify(traceRequestJson([chatSpanJson(span)]));
    const usageBody = JSON.stringify([
      {
        timestamp: new Date(span.endMillis).toISOString(),
        service: 'support-assistant',
        provider: 'openai',
        model: span.model,
        inputTokens: span.inputTokens,
        outputTokens: span.outputTokens,
      },
    ]);

    await cluster!.stopServer();
    try {
      const otlp = await request(ingest!.server)
        .post('/v1/traces')
        .set('Content-Type', 'application/json')
        .send(otlpBody);
      const usage = await request(ingest!.server)
        .post('/usage')
        .set('Content-Type', 'application/json')
        .send(usageBody);

      expect(otlp.status).toBe(503);
      expect(otlp.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(otlp.body.code).toBe(14);
      expect(usage.status).toBe(503);
      expect(usage.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(usage.body.error.name).toBe('ServiceUnavailableError');
      expect(usage.body.error.message).toBe(
        `The usage database is unavailable; retry after ${RETRY_AFTER_SECONDS} seconds`,
      );
    } finally {
      await cluster!.startServer();
    }
  });
});
