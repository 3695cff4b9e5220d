import { Agent } from 'node:http';
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { FuzzGenerator, FuzzPayload } from '../__testUtils__/ingestFuzz';
import { startIngestApp, stopIngestApp } from '../__testUtils__/ingestApp';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';

// Sends seeded malformed and mixed payloads to the three ingestion
// endpoints and checks that none gets a 5xx, that every rejection names
// what is wrong, and that exactly the valid records are stored.

jest.setTimeout(180_000);

const SEED = 20_261_204;
/** Payloads per database: all on SQLite, a share on PostgreSQL. */
const SQLITE_PAYLOADS = 10_000;
const POSTGRES_PAYLOADS = 1_000;
const CONCURRENCY = 8;
const LIMITS = {
  otlpMaxBodyBytes: 1024 * 1024,
  // The '20mb' of body-parser in router.ts, in bytes.
  usageMaxBodyBytes: 20 * 1024 * 1024,
};
/** Problems quoted in a failure message. */
const QUOTED_PROBLEMS = 20;

/** A line of a stack trace, as in "    at readBody (router.ts:10:5)". */
const STACK_LINE = /\n\s+at \S+/;
/**
 * Words of which an error message names at least one: the field path,
 * record, line, column or header, or the body, its type, encoding or size.
 */
const NAMES_WHAT = new RegExp(
  [
    'resourceSpans',
    'the top level',
    'line \\d',
    'record',
    'row',
    'field',
    'column',
    'header',
    'body',
    'content type',
    'content encoding',
    'JSON',
    'limit',
    'FOCUS',
    'records',
  ].join('|'),
  'i',
);

/** Reads the fields of a protobuf message: varints as numbers, the rest as bytes. */
function readProtobuf(bytes: Buffer): Map<number, Array<number | Buffer>> {
  const fields = new Map<number, Array<number | Buffer>>();
  let position = 0;
  const readVarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[position++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) {
        return value;
      }
    }
  };
  while (position < bytes.length) {
    const tag = readVarint();
    const fieldNumber = Math.floor(tag / 8);
    let value: number | Buffer;
    if (tag % 8 === 0) {
      value = readVarint();
    } else if (tag % 8 === 2) {
      const length = readVarint();
      value = bytes.subarray(position, position + length);
      position += length;
    } else {
      throw new Error(`unexpected wire type in tag ${tag}`);
    }
    fields.set(fieldNumber, [...(fields.get(fieldNumber) ?? []), value]);
  }
  return fields;
}

function protobufString(
  fields: Map<number, Array<number | Buffer>>,
  fieldNumber: number,
): string | undefined {
  const value = fields.get(fieldNumber)?.[0];
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** Collects a response body as bytes, whatever its content type. */
function binary(
  res: unknown,
  callback: (error: Error | null, body: Buffer) => void,
) {
  // superagent passes the Node.js response stream to a custom parser.
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** Returns what is wrong with a message that explains a rejection. */
function checkMessage(message: unknown, where: string): string[] {
  if (typeof message !== 'string' || message.trim() === '') {
    return [`${where}: no error message (${JSON.stringify(message)})`];
  }
  if (STACK_LINE.test(message)) {
    return [`${where}: stack trace in message ${message.slice(0, 200)}`];
  }
  if (!NAMES_WHAT.test(message)) {
    return [`${where}: message names no field or record: ${message}`];
  }
  return [];
}

function checkRejections(rejected: unknown, where: string): string[] {
  if (!Array.isArray(rejected)) {
    return [`${where}: rejected is ${JSON.stringify(rejected)}`];
  }
  return rejected.flatMap((item, index) => {
    const { record, message } = item as { record?: unknown; message?: unknown };
    const problems: string[] = [];
    if (typeof record !== 'number') {
      problems.push(`${where}: rejected[${index}] has no record number`);
    }
    if (typeof message !== 'string' || message.trim() === '') {
      problems.push(`${where}: rejected[${index}] has no message`);
    } else if (STACK_LINE.test(message)) {
      problems.push(`${where}: rejected[${index}] has a stack trace`);
    }
    return problems;
  });
}

/** Returns what is wrong with the response to one payload. */
function checkResponse(
  payload: FuzzPayload,
  index: number,
  response: request.Response,
): string[] {
  const where = `payload ${index} (${payload.kind})`;
  const bytes: Buffer = Buffer.isBuffer(response.body)
    ? response.body
    : Buffer.alloc(0);
  const text = bytes.toString('utf8');
  const status = response.status;

  if (status >= 500) {
    return [`${where}: status ${status}: ${text.slice(0, 300)}`];
  }
  const problems: string[] = [];
  if (!payload.statuses.includes(status)) {
    problems.push(
      `${where}: status ${status}, expected ${payload.statuses.join(
        ' or ',
      )}: ${text.slice(0, 300)}`,
    );
  }

  const protobuf = String(response.headers['content-type']).startsWith(
    'application/x-protobuf',
  );
  if (payload.path === '/v1/traces') {
    if (protobuf) {
      const fields = readProtobuf(bytes);
      if (status !== 200) {
        problems.push(...checkMessage(protobufString(fields, 2), where));
      } else if (fields.has(1)) {
        const partial = readProtobuf(fields.get(1)![0] as Buffer);
        problems.push(...checkMessage(protobufString(partial, 2), where));
      }
      return problems;
    }
    const body = JSON.parse(text);
    if (status !== 200) {
      problems.push(...checkMessage(body.message, where));
    } else if (body.partialSuccess) {
      problems.push(...checkMessage(body.partialSuccess.errorMessage, where));
    }
    return problems;
  }

  const body = JSON.parse(text);
  if (status >= 400) {
    problems.push(...checkMessage(body.error?.message, where));
  }
  if (body.rejected !== undefined) {
    problems.push(...checkRejections(body.rejected, where));
  }
  return problems;
}

function difference(left: Set<string>, right: Set<string>): string[] {
  return [...left].filter(key => !right.has(key));
}

describe('ingestion endpoints under fuzzing', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });
  const unhandled: unknown[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(() => {
    process.on('unhandledRejection', recordUnhandled);
  });

  afterAll(() => {
    process.off('unhandledRejection', recordUnhandled);
  });

  it.each(databases.eachSupportedId())(
    'stores only valid records on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startIngestApp(knex, {
        otlpMaxBodyBytes: LIMITS.otlpMaxBodyBytes,
      });
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const count = databaseId.startsWith('SQLITE')
        ? SQLITE_PAYLOADS
        : POSTGRES_PAYLOADS;
      const payloads = new FuzzGenerator(SEED, LIMITS).payloads(count);
      const expectedUsage = new Set<string>();
      const expectedBilling = new Set<string>();
      const problems: string[] = [];
      let sent = 0;

      const worker = async () => {
        for (;;) {
          const next = payloads.next();
          if (next.done) {
            return;
          }
          const payload = next.value;
          const index = sent++;
          const test = request(server)
            .post(payload.path)
            .agent(agent)
            // Sends the bytes as they are; superagent would JSON-encode a Buffer.
            .serialize(body => body)
            .buffer(true)
            .parse(binary);
          if (payload.contentType) {
            test.set('Content-Type', payload.contentType);
          }
          if (payload.contentEncoding) {
            test.set('Content-Encoding', payload.contentEncoding);
          }
          const response = await test.send(payload.body as string);

          problems.push(...checkResponse(payload, index, response));
          payload.usageKeys.forEach(key => expectedUsage.add(key));
          payload.billingRows.forEach(row => expectedBilling.add(row));
        }
      };

      try {
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      } finally {
        agent.destroy();
        await stopIngestApp(server);
      }

      const storedUsage = new Set<string>(
        await knex('ai_cost_usage_records').pluck('request_key'),
      );
      const storedBilling = new Set<string>(
        await knex('ai_cost_billing_records').pluck('resource_id'),
      );
      const [rollup] = await knex('ai_cost_usage_hourly').select(
        knex.raw('CAST(SUM(requests) AS TEXT) AS requests'),
      );
      expect(sent).toBeGreaterThanOrEqual(count);
      expect(problems.slice(0, QUOTED_PROBLEMS)).toEqual([]);
      expect(problems).toHaveLength(0);
      expect(unhandled).toEqual([]);
      expect(difference(expectedUsage, storedUsage).slice(0, 10)).toEqual([]);
      expect(difference(storedUsage, expectedUsage).slice(0, 10)).toEqual([]);
      expect(storedUsage.size).toBe(expectedUsage.size);
      expect(rollup.requests).toBe(String(expectedUsage.size));
      expect(difference(expectedBilling, storedBilling)).toEqual([]);
      expect(difference(storedBilling, expectedBilling)).toEqual([]);
      expect(storedBilling.size).toBe(expectedBilling.size);
    },
  );
});
