import { gzipSync } from 'node:zlib';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import {
  SUPPORT,
  createOtlpApp,
  storedUsage,
} from '../otlp/__testUtils__/otlpApp';
import { recordSpans } from '../otlp/__testUtils__/sdkSpans';

jest.setTimeout(60_000);

/** Prices of gpt-4o in pico-USD per token: USD per million × 10^6. */
const INPUT = 2_500_000n;
const CACHED_INPUT = 1_250_000n;
const OUTPUT = 10_000_000n;
const BATCH_INPUT = 1_250_000n;
const BATCH_OUTPUT = 5_000_000n;

const CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 1200,
  'gen_ai.usage.cache_read.input_tokens': 200,
  'gen_ai.usage.output_tokens': 300,
  'ai_cost.task.id': 'ticket-4711',
  'ai_cost.task.outcome': 'success',
};

/** 1,000 uncached and 200 cached input tokens, 300 output tokens. */
const CHAT_COST = 1000n * INPUT + 200n * CACHED_INPUT + 300n * OUTPUT;

function protobuf(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

/** Returns text: supertest would send a Buffer as a JSON-encoded object. */
function json(spans: ReadableSpan[]): string {
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!);
}

/** Collects a response body as bytes, whatever its content type. */
function binary(
  res: request.Response,
  callback: (error: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** Decodes a protobuf google.rpc.Status: code (1) and message (2). */
function decodeStatus(bytes: Buffer): { code: number; message: string } {
  let pos = 0;
  const status = { code: 0, message: '' };
  const readVarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) {
        return value;
      }
    }
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    if (tag === 8) {
      status.code = readVarint();
    } else if (tag === 18) {
      const length = readVarint();
      status.message = bytes.toString('utf8', pos, pos + length);
      pos += length;
    } else {
      throw new Error(`unexpected tag ${tag}`);
    }
  }
  return status;
}

describe('createOtlpRouter', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });
  let chatSpans: ReadableSpan[];
  let mixedSpans: ReadableSpan[];

  beforeAll(async () => {
    chatSpans = await recordSpans([{ name: 'chat gpt-4o', attributes: CHAT }]);
    mixedSpans = await recordSpans([
      { name: 'chat gpt-4o', attributes: CHAT },
      {
        name: 'chat bad',
        attributes: { ...CHAT, 'gen_ai.usage.output_tokens': -3 },
      },
      {
        name: 'invoke_agent support',
        attributes: { ...CHAT, 'gen_ai.operation.name': 'invoke_agent' },
      },
      { name: 'retrieval', attributes: { 'db.system': 'qdrant' } },
    ]);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe('accepted requests', () => {
      it('stores JSON spans', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(chatSpans));
        const rows = await storedUsage(knex);

        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({});
        const context = chatSpans[0].spanContext();
        expect(rows).toHaveLength(1);
        expect(rows[0].request_key).toBe(
          `otlp:${context.traceId}:${context.spanId}`,
        );
        expect(rows[0].entity_ref).toBe(SUPPORT);
        expect(rows[0].task_id).toBe('ticket-4711');
        expect(rows[0].task_outcome).toBe('success');
      });

      it('stores protobuf spans', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .send(protobuf(chatSpans))
          .buffer(true)
          .parse(binary);
        const rows = await storedUsage(knex);

        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe('application/x-protobuf');
        expect(response.body).toEqual(Buffer.alloc(0));
        expect(Number(rows[0].input_tokens)).toBe(1200);
        expect(Number(rows[0].cached_input_tokens)).toBe(200);
        expect(Number(rows[0].output_tokens)).toBe(300);
        expect(String(rows[0].cost_pico)).toBe(String(CHAT_COST));
        expect(rows[0].currency).toBe('USD');
      });

      it('inflates gzip bodies', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .set('Content-Encoding', 'gzip')
          .send(gzipSync(protobuf(chatSpans)));
        const rows = await storedUsage(knex);

        expect(response.status).toBe(200);
        expect(String(rows[0].cost_pico)).toBe(String(CHAT_COST));
      });

      it('prices batch spans', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);
        const spans = await recordSpans([
          {
            name: 'chat gpt-4o',
            attributes: {
              ...CHAT,
              'gen_ai.usage.cache_read.input_tokens': 0,
              'ai_cost.batch': true,
            },
          },
        ]);

        await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(spans))
          .expect(200);
        const rows = await storedUsage(knex);

        expect(rows[0].service_tier).toBe('batch');
        expect(String(rows[0].cost_pico)).toBe(
          String(1200n * BATCH_INPUT + 300n * BATCH_OUTPUT),
        );
      });

      it('counts re-sent spans once', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);

        for (let attempt = 0; attempt < 3; attempt++) {
          await request(app)
            .post('/v1/traces')
            .set('Content-Type', 'application/x-protobuf')
            .send(protobuf(chatSpans))
            .expect(200);
        }
        await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(chatSpans))
          .expect(200);
        const rows = await storedUsage(knex);

        expect(rows).toHaveLength(1);
        expect(String(rows[0].cost_pico)).toBe(String(CHAT_COST));
      });

      it('accepts service principals', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId, {
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.service('external:collector'),
          }),
        });

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(chatSpans));

        expect(response.status).toBe(200);
        expect(await storedUsage(knex)).toHaveLength(1);
      });
    });

    describe('partial success', () => {
      it('reports rejected spans as JSON', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);
        const bad = mixedSpans[1].spanContext();

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(mixedSpans));
        const rows = await storedUsage(knex);

        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          partialSuccess: {
            rejectedSpans: '1',
            errorMessage: `1 span rejected: Span resourceSpans[0].scopeSpans[0].spans[1] (trace ${bad.traceId}, span ${bad.spanId}): gen_ai.usage.output_tokens -3 is not a token count; use a whole number from 0 to 100000000`,
          },
        });
        // The agent span and the span without usage are not stored.
        expect(rows.map(row => row.request_key)).toEqual([
          `otlp:${mixedSpans[0].spanContext().traceId}:${
            mixedSpans[0].spanContext().spanId
          }`,
        ]);
      });

      it('reports rejected spans as protobuf', async () => {
        const { app } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .send(protobuf(mixedSpans))
          .buffer(true)
          .parse(binary);
        const decoded = ProtobufTraceSerializer.deserializeResponse(
          response.body,
        );

        expect(response.status).toBe(200);
        expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
        expect(decoded.partialSuccess?.errorMessage).toMatch(
          /^1 span rejected: Span resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\] /,
        );
      });

      it('reports spans the ingestor rejects', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);
        const spans = await recordSpans([
          { name: 'kept', attributes: CHAT },
          { name: 'epoch', attributes: CHAT },
        ]);
        const body = JSON.parse(json(spans));
        const sent = body.resourceSpans[0].scopeSpans[0].spans;
        sent[1].startTimeUnixNano = '0';
        sent[1].endTimeUnixNano = '1';

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));

        expect(response.status).toBe(200);
        expect(response.body.partialSuccess).toEqual({
          rejectedSpans: '1',
          errorMessage: `1 span rejected: Span resourceSpans[0].scopeSpans[0].spans[1] (trace ${sent[1].traceId}, span ${sent[1].spanId}): timestamp 1970-01-01T00:00:00.000Z is outside the accepted range from 2000-01-01 to one day after now; check the clock or the time unit of the source`,
        });
        expect(await storedUsage(knex)).toHaveLength(1);
      });

      it('quotes first three reasons', async () => {
        const { app } = await createOtlpApp(databases, databaseId);
        const spans = await recordSpans(
          Array.from({ length: 5 }, (_, index) => ({
            name: `bad ${index}`,
            attributes: { ...CHAT, 'ai_cost.task.outcome': 'maybe' },
          })),
        );

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(spans));
        const message: string = response.body.partialSuccess.errorMessage;

        expect(response.body.partialSuccess.rejectedSpans).toBe('5');
        expect(
          message.match(/is not valid; use success or failure/g),
        ).toHaveLength(3);
        expect(message).toMatch(/; and 2 more$/);
      });
    });

    describe('failed requests', () => {
      it('returns 415 for text', async () => {
        const { app } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'text/plain')
          .send('spans');

        expect(response.status).toBe(415);
        expect(response.body).toEqual({
          code: 3,
          message:
            'Unsupported content type "text/plain"; send application/x-protobuf or application/json',
        });
      });

      it('returns 415 for brotli', async () => {
        const { app } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'br')
          .send(json(chatSpans));

        expect(response.status).toBe(415);
        expect(response.body.message).toBe(
          'Unsupported content encoding "br"; send gzip or an uncompressed body',
        );
      });

      it('returns 413 over limit', async () => {
        const { app } = await createOtlpApp(databases, databaseId, {
          maxBodyBytes: 4096,
        });
        const body = Buffer.concat(
          Array.from({ length: 20 }, () => protobuf(chatSpans)),
        );

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .send(body)
          .buffer(true)
          .parse(binary);

        expect(body.length).toBeGreaterThan(4096);
        expect(response.status).toBe(413);
        expect(decodeStatus(response.body)).toEqual({
          code: 8,
          message:
            'Request body is larger than the limit of 4096 bytes after decompression; send fewer spans per request',
        });
      });

      it('returns 413 for gzip bomb', async () => {
        const { app } = await createOtlpApp(databases, databaseId, {
          maxBodyBytes: 1024 * 1024,
        });
        // 64 MiB of zeros compress to about 64 KiB.
        const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .set('Content-Encoding', 'gzip')
          .send(bomb)
          .buffer(true)
          .parse(binary);

        expect(bomb.length).toBeLessThan(1024 * 1024);
        expect(response.status).toBe(413);
        expect(decodeStatus(response.body).message).toBe(
          'Request body is larger than the limit of 1048576 bytes after decompression; send fewer spans per request',
        );
      });

      it('returns 400 for bad protobuf', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId);
        const body = protobuf(chatSpans).subarray(0, 40);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/x-protobuf')
          .send(body)
          .buffer(true)
          .parse(binary);
        const status = decodeStatus(response.body);

        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toBe('application/x-protobuf');
        expect(status.code).toBe(3);
        expect(status.message).toMatch(
          /^Invalid ExportTraceServiceRequest at resourceSpans: length \d+ runs past the end of the message \(\d+ bytes left\)$/,
        );
        expect(await storedUsage(knex)).toEqual([]);
      });

      it('returns 400 for bad JSON', async () => {
        const { app } = await createOtlpApp(databases, databaseId);
        const body = JSON.parse(json(chatSpans));
        body.resourceSpans[0].scopeSpans[0].spans[0].attributes[3].value = {
          intValue: 'many',
        };

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));

        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          code: 3,
          message:
            'Invalid ExportTraceServiceRequest at resourceSpans[0].scopeSpans[0].spans[0].attributes[3].value.intValue: "many" is not a 64-bit integer; send a decimal string such as "1024"',
        });
      });

      it('hints at gzip without encoding', async () => {
        const { app } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          // superagent would turn a Buffer into JSON text; send the bytes.
          .serialize(body => body)
          .send(gzipSync(json(chatSpans)));

        expect(response.status).toBe(400);
        expect(response.body.message).toMatch(
          /; the body looks like gzip data, so set Content-Encoding: gzip$/,
        );
      });

      it('returns 400 for bad gzip', async () => {
        const { app } = await createOtlpApp(databases, databaseId);

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send('not gzip at all');

        expect(response.status).toBe(400);
        expect(response.body.message).toBe(
          'Request body could not be decompressed (zlib Z_DATA_ERROR); send valid gzip data',
        );
      });

      it('returns 403 when denied', async () => {
        const { app, knex } = await createOtlpApp(databases, databaseId, {
          permissions: mockServices.permissions({
            result: AuthorizeResult.DENY,
          }),
        });

        const response = await request(app)
          .post('/v1/traces')
          .set('Content-Type', 'application/json')
          .send(json(chatSpans));

        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          'Not allowed to send usage records',
        );
        expect(await storedUsage(knex)).toEqual([]);
      });
    });
  });

  describe('database failures', () => {
    async function appFailingWith(error: unknown) {
      return createOtlpApp(databases, 'SQLITE_3', {
        retryAfterSeconds: 7,
        ingestor: {
          ingest: async () => {
            throw error;
          },
        },
      });
    }

    it('returns 503 when unavailable', async () => {
      const shutdown = Object.assign(
        new Error('terminating connection due to administrator command'),
        { code: '57P01' },
      );
      const { app } = await appFailingWith(shutdown);

      const response = await request(app)
        .post('/v1/traces')
        .set('Content-Type', 'application/json')
        .send(json(chatSpans));

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.body).toEqual({
        code: 14,
        message: 'The usage database is unavailable; retry after 7 seconds',
      });
    });

    it('returns 500 for other errors', async () => {
      const { app } = await appFailingWith(new Error('disk full'));

      const response = await request(app)
        .post('/v1/traces')
        .set('Content-Type', 'application/json')
        .send(json(chatSpans));

      expect(response.status).toBe(500);
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.body.error.message).toBe('disk full');
    });
  });
});
