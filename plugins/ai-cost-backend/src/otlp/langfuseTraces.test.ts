import { readFileSync, readdirSync } from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Knex } from 'knex';
import request from 'supertest';
import { TEST_DATABASE_IDS } from '../__testUtils__/testDatabases';
import { dataPath } from '../pricing/loaders/__testUtils__/dataDir';
import { CURATED_PRICES } from '../pricing/catalog/curatedPrices';
import { PICO_PER_UNIT } from '../pricing/money';
import { createOtlpApp, storedUsage } from './__testUtils__/otlpApp';

jest.setTimeout(60_000);

// Traces exported from Langfuse (langfuse/langfuse,
// worker/src/__tests__/chatml/framework-traces). Each observation's
// `metadata` is a JSON string; where the framework sent OpenTelemetry
// spans, `metadata.attributes` contains the span attributes and
// `metadata.resourceAttributes` those of the resource.

interface Observation {
  id: string;
  traceId: string;
  type: string;
  name: string;
  startTime: string;
  endTime: string;
  usageDetails: Record<string, number>;
  costDetails: Record<string, number>;
  metadata: unknown;
}

interface TracedObservation {
  file: string;
  observation: Observation;
  attributes: Attributes;
  resourceAttributes: Attributes;
}

const TRACE_DIR = 'langfuse-framework-traces';

/** Observations whose span attributes carry gen_ai.usage.* counts. */
function readTracedObservations(): TracedObservation[] {
  const files = readdirSync(dataPath(TRACE_DIR))
    .filter(name => name.endsWith('.trace.json'))
    .sort();
  const traced: TracedObservation[] = [];

  for (const file of files) {
    const trace = JSON.parse(
      readFileSync(dataPath(`${TRACE_DIR}/${file}`), 'utf8'),
    );
    for (const observation of trace.observations as Observation[]) {
      const metadata =
        typeof observation.metadata === 'string'
          ? JSON.parse(observation.metadata)
          : observation.metadata;
      const attributes = metadata?.attributes;
      if (
        attributes &&
        Object.keys(attributes).some(key => key.startsWith('gen_ai.usage.'))
      ) {
        traced.push({
          file,
          observation,
          attributes,
          resourceAttributes: metadata.resourceAttributes ?? {},
        });
      }
    }
  }
  return traced;
}

function hrTime(iso: string): [number, number] {
  const millis = Date.parse(iso);
  return [Math.floor(millis / 1000), (millis % 1000) * 1_000_000];
}

/** Rebuilds an SDK span from an observation, for the OTLP serializers. */
function toReadableSpan(traced: TracedObservation): ReadableSpan {
  const { observation } = traced;
  const start = hrTime(observation.startTime);
  const end = hrTime(observation.endTime);
  return {
    name: observation.name,
    kind: SpanKind.CLIENT,
    spanContext: () => ({
      traceId: observation.traceId,
      spanId: observation.id,
      traceFlags: 1,
    }),
    startTime: start,
    endTime: end,
    duration: [end[0] - start[0], end[1] - start[1]],
    status: { code: SpanStatusCode.UNSET },
    attributes: traced.attributes,
    links: [],
    events: [],
    ended: true,
    resource: resourceFromAttributes(traced.resourceAttributes),
    instrumentationScope: { name: traced.file },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Langfuse's counts under either of its key styles; absent is 0. */
function usage(observation: Observation, ...keys: string[]): number {
  for (const key of keys) {
    if (observation.usageDetails[key] !== undefined) {
      return observation.usageDetails[key];
    }
  }
  return 0;
}

describe('Langfuse framework traces', () => {
  const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });
  const traced = readTracedObservations();
  const spans = traced.map(toReadableSpan);

  it('finds observations with usage', () => {
    expect(traced.map(item => `${item.file} ${item.observation.name}`)).toEqual(
      [
        'google-adk-2025-08-28.trace.json call_llm',
        'google-adk-2025-08-28.trace.json call_llm',
        'pydantic-ai-2025-06-06.trace.json chat gpt-4o',
        'pydantic-ai-2025-06-06.trace.json qa_agent run',
        'vercel-aisdk-2025-11-17.trace.json ai.generateText.doGenerate',
      ],
    );
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    describe.each(['json', 'protobuf'] as const)('as %s', encoding => {
      let knex: Knex;
      let response: request.Response;

      beforeAll(async () => {
        const created = await createOtlpApp(databases, databaseId, {
          prices: CURATED_PRICES,
          // The Vercel AI SDK names its provider by API, such as
          // openai.responses; an alias maps it to the catalog's openai.
          aliases: [
            {
              provider: 'openai.responses',
              name: 'gpt-5-2025-08-07',
              targetProvider: 'openai',
              targetModel: 'gpt-5',
            },
          ],
        });
        knex = created.knex;
        const serializer =
          encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer;
        const body = Buffer.from(serializer.serializeRequest(spans)!);
        response = await request(created.app)
          .post('/v1/traces')
          .set(
            'Content-Type',
            encoding === 'json' ? 'application/json' : 'application/x-protobuf',
          )
          .send(encoding === 'json' ? body.toString('utf8') : body)
          .buffer(true)
          .parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          });
      });

      it('rejects agent run without model', () => {
        const partialSuccess =
          encoding === 'json'
            ? JSON.parse(response.body.toString('utf8')).partialSuccess
            : ProtobufTraceSerializer.deserializeResponse(response.body)
                .partialSuccess;
        const agentRun = traced[3].observation;

        expect(response.status).toBe(200);
        // pydantic-ai 0.2.15 puts the run's usage total on the agent span,
        // without a model or gen_ai.operation.name; Langfuse does not count
        // it either (its usageDetails is empty).
        expect(agentRun.usageDetails).toEqual({});
        expect(Number(partialSuccess.rejectedSpans)).toBe(1);
        expect(partialSuccess.errorMessage).toBe(
          `1 span rejected: Span resourceSpans[3].scopeSpans[0].spans[0] (trace ${agentRun.traceId}, span ${agentRun.id}): missing gen_ai.request.model and gen_ai.response.model; set the model name on the span`,
        );
      });

      it('matches Langfuse token counts', async () => {
        const rows = await storedUsage(knex);
        const byKey = new Map(rows.map(row => [row.request_key, row]));
        const counted = traced.filter((_, index) => index !== 3);

        expect(rows).toHaveLength(counted.length);
        for (const { observation } of counted) {
          const row = byKey.get(
            `otlp:${observation.traceId}:${observation.id}`,
          );
          expect([observation.id, Number(row?.input_tokens)]).toEqual([
            observation.id,
            usage(observation, 'input'),
          ]);
          expect([observation.id, Number(row?.output_tokens)]).toEqual([
            observation.id,
            usage(observation, 'output'),
          ]);
          expect([observation.id, Number(row?.cached_input_tokens)]).toEqual([
            observation.id,
            usage(observation, 'input_cache_read', 'prompt_details.cache_read'),
          ]);
          expect([observation.id, Number(row?.reasoning_tokens)]).toEqual([
            observation.id,
            usage(
              observation,
              'output_reasoning',
              'completion_details.reasoning',
            ),
          ]);
        }
      });

      it('matches Langfuse cost where priced', async () => {
        const rows = await storedUsage(knex);
        const row = (index: number) =>
          rows.find(
            item =>
              item.request_key ===
              `otlp:${traced[index].observation.traceId}:${traced[index].observation.id}`,
          )!;

        // pydantic-ai gpt-4o-2024-08-06 is priced as gpt-4o (2.50 and 10
        // USD per million): 31 × 2.5 + 96 × 10 = 1037.5 micro-USD.
        expect(traced[2].observation.costDetails.total).toBe(0.0010375);
        expect(BigInt(row(2).cost_pico)).toBe(
          31n * 2_500_000n + 96n * 10_000_000n,
        );
        expect(Number(row(2).cost_pico) / Number(PICO_PER_UNIT)).toBe(
          traced[2].observation.costDetails.total,
        );

        // Vercel gpt-5 (1.25 and 10 USD per million): 62 × 1.25 + 85 × 10
        // = 927.5 micro-USD. Langfuse exports 0.000927499999, a float cut
        // to 12 decimals, so the two agree to one pico-USD, not exactly.
        expect(BigInt(row(4).cost_pico)).toBe(
          62n * 1_250_000n + 85n * 10_000_000n,
        );
        expect(
          Math.abs(
            Number(row(4).cost_pico) -
              traced[4].observation.costDetails.total * Number(PICO_PER_UNIT),
          ),
        ).toBeLessThanOrEqual(1);
      });

      it('leaves Google ADK unpriced', async () => {
        const rows = await storedUsage(knex);
        const adk = rows.filter(item =>
          traced
            .slice(0, 2)
            .some(
              ({ observation }) =>
                item.request_key ===
                `otlp:${observation.traceId}:${observation.id}`,
            ),
        );

        // Google ADK 1.12 reports gen_ai.system gcp.vertex.agent, which
        // names no provider of the price catalog, and the curated catalog
        // has no gemini-2.0-flash price; Langfuse priced them at its own
        // 0.10 and 0.40 USD per million.
        expect(adk.map(item => item.provider)).toEqual([
          'gcp.vertex.agent',
          'gcp.vertex.agent',
        ]);
        expect(adk.map(item => item.cost_pico)).toEqual([null, null]);
      });
    });
  });
});
