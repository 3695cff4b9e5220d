import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequestJson } from './decodeJson';
import { decodeTraceRequestProtobuf } from './decodeProtobuf';
import { recordSpans } from './__testUtils__/sdkSpans';
import {
  doubleField,
  fixed64Field,
  int64Field,
  keyValue,
  message,
  spanFields,
  string,
  tag,
  traceRequest,
  varint,
  varintField,
} from './__testUtils__/protobufWriter';
import { MAX_ANY_VALUE_DEPTH, OtlpDecodeError, TraceRequest } from './types';

function nanos(time: [number, number]): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}

function decodeError(bytes: Uint8Array | number[]): OtlpDecodeError {
  try {
    decodeTraceRequestProtobuf(Uint8Array.from(bytes));
  } catch (error) {
    if (error instanceof OtlpDecodeError) {
      return error;
    }
    throw error;
  }
  throw new Error('decodeTraceRequestProtobuf did not throw');
}

const SPAN = [0, 0, 0] as const;
const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';

describe('decodeTraceRequestProtobuf', () => {
  describe('SDK spans', () => {
    let sdkSpans: ReadableSpan[];
    let decoded: TraceRequest;

    beforeAll(async () => {
      sdkSpans = await recordSpans(
        [
          {
            name: 'chat gpt-4o',
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.usage.input_tokens': 1200,
              'gen_ai.request.temperature': 0.25,
              'ai_cost.retry': true,
              'gen_ai.response.finish_reasons': ['stop', 'length'],
            },
          },
          {
            name: 'embeddings',
            attributes: { 'gen_ai.usage.input_tokens': 7 },
            durationMillis: 20,
          },
        ],
        { 'service.name': 'support-assistant', 'deployment.id': 42 },
      );
      const bytes = ProtobufTraceSerializer.serializeRequest(sdkSpans)!;
      decoded = decodeTraceRequestProtobuf(bytes);
    });

    it('decodes every span', () => {
      expect(decoded.spans.map(span => span.name)).toEqual([
        'chat gpt-4o',
        'embeddings',
      ]);
    });

    it('decodes ids as hex', () => {
      const context = sdkSpans[0].spanContext();

      expect(decoded.spans[0].traceId).toBe(context.traceId);
      expect(decoded.spans[0].spanId).toBe(context.spanId);
    });

    it('decodes times exactly', () => {
      expect(decoded.spans[1].startTimeUnixNano).toBe(
        nanos(sdkSpans[1].startTime),
      );
      expect(decoded.spans[1].endTimeUnixNano).toBe(nanos(sdkSpans[1].endTime));
    });

    it('decodes attributes by type', () => {
      expect({ ...decoded.spans[0].attributes }).toEqual({
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.request.temperature': 0.25,
        'ai_cost.retry': true,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
      });
    });

    it('shares resource and scope', () => {
      expect(decoded.spans[0].resource).toBe(decoded.spans[1].resource);
      expect(decoded.spans[0].resource.attributes['service.name']).toBe(
        'support-assistant',
      );
      expect(decoded.spans[0].resource.attributes['deployment.id']).toBe(42);
      expect(decoded.spans[0].scope).toEqual({
        name: 'ai-cost-test',
        version: '1.2.3',
      });
    });

    it('decodes kind and status', () => {
      // OTLP numbers SpanKind from 1 (internal); the API from 0.
      expect(decoded.spans[0].kind).toBe(SpanKind.INTERNAL + 1);
      expect(decoded.spans[0].status).toEqual({
        code: SpanStatusCode.UNSET,
        message: '',
      });
    });

    it('gives span positions', () => {
      expect(decoded.spans.map(span => span.position)).toEqual([
        [0, 0, 0],
        [0, 0, 1],
      ]);
    });

    it('matches JSON decoder output', () => {
      const json = new TextDecoder().decode(
        JsonTraceSerializer.serializeRequest(sdkSpans)!,
      );

      expect(decodeTraceRequestJson(json)).toEqual(decoded);
    });
  });

  describe('hand-built values', () => {
    it('reads negative int64', () => {
      const bytes = traceRequest(
        [],
        [spanFields([keyValue('delta', int64Field(3, -5n))])],
      );

      expect(decodeTraceRequestProtobuf(bytes).spans[0].attributes.delta).toBe(
        -5,
      );
    });

    it('keeps large int64 exact', () => {
      const large = 2n ** 62n + 1n;
      const bytes = traceRequest(
        [],
        [spanFields([keyValue('large', int64Field(3, large))])],
      );

      expect(decodeTraceRequestProtobuf(bytes).spans[0].attributes.large).toBe(
        large,
      );
    });

    it('reads nested arrays and kvlists', () => {
      const kvlist = message(
        6,
        message(1, keyValue('name', string(1, 'x'))),
        message(
          1,
          keyValue('list', message(5, message(1, doubleField(4, 1.5)))),
        ),
      );
      const bytes = traceRequest([], [spanFields([keyValue('tool', kvlist)])]);

      const tool = decodeTraceRequestProtobuf(bytes).spans[0].attributes.tool;

      expect({ ...(tool as object) }).toEqual({ name: 'x', list: [1.5] });
    });

    it('reads bytes values', () => {
      const bytes = traceRequest(
        [],
        [spanFields([keyValue('raw', message(7, [0, 255, 16]))])],
      );

      expect(decodeTraceRequestProtobuf(bytes).spans[0].attributes.raw).toEqual(
        Uint8Array.from([0, 255, 16]),
      );
    });

    it('keeps __proto__ as plain key', () => {
      const bytes = traceRequest(
        [],
        [spanFields([keyValue('__proto__', string(1, 'polluted'))])],
      );

      const attributes = decodeTraceRequestProtobuf(bytes).spans[0].attributes;

      expect(Object.getPrototypeOf(attributes)).toBeNull();
      expect(
        Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value,
      ).toBe('polluted');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('skips unknown fields', () => {
      const unknown = [
        ...varintField(90, 7),
        ...fixed64Field(91, 1n),
        ...string(92, 'later field'),
        ...tag(93, 5),
        1,
        2,
        3,
        4,
      ];
      const bytes = traceRequest(
        [keyValue('service.name', string(1, 'svc'), unknown)],
        [[...unknown, ...spanFields([]), ...unknown]],
      );

      const span = decodeTraceRequestProtobuf(bytes).spans[0];

      expect(span.name).toBe('chat gpt-4o');
      expect(span.resource.attributes['service.name']).toBe('svc');
    });

    it('reads resource after spans', () => {
      const resource = message(
        1,
        message(1, keyValue('service.name', string(1, 'late'))),
      );
      const scopeSpans = message(2, message(2, spanFields([])));
      const bytes = Uint8Array.from(message(1, scopeSpans, resource));

      const span = decodeTraceRequestProtobuf(bytes).spans[0];

      expect(span.resource.attributes['service.name']).toBe('late');
    });

    it('decodes empty request', () => {
      expect(decodeTraceRequestProtobuf(new Uint8Array(0))).toEqual({
        spans: [],
      });
    });
  });

  describe('malformed bytes', () => {
    it('rejects truncated varint', () => {
      const error = decodeError([...tag(1, 2), 0x80]);

      expect(error.message).toBe(
        'Invalid ExportTraceServiceRequest at resourceSpans: truncated varint at the end of the message',
      );
    });

    it('rejects length past end', () => {
      const error = decodeError([...tag(1, 2), 5, 1]);

      expect(error.path).toBe('resourceSpans');
      expect(error.message).toBe(
        'Invalid ExportTraceServiceRequest at resourceSpans: length 5 runs past the end of the message (1 bytes left)',
      );
    });

    it('rejects huge length', () => {
      const error = decodeError([...tag(1, 2), ...varint(2n ** 60n), 1, 2]);

      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at resourceSpans: length ${Number(
          2n ** 60n,
        )} runs past the end of the message (2 bytes left)`,
      );
    });

    it('rejects varint over ten bytes', () => {
      const error = decodeError([...tag(1, 0), ...Array(11).fill(0xff), 1]);

      expect(error.message).toBe(
        'Invalid ExportTraceServiceRequest at resourceSpans: wire type 0 (varint); expected 2 (length-delimited)',
      );
      const overlong = decodeError([...tag(9, 0), ...Array(11).fill(0xff)]);
      expect(overlong.message).toBe(
        'Invalid ExportTraceServiceRequest at field 9: varint is longer than 10 bytes',
      );
    });

    it('names path of bad attribute', () => {
      const bytes = traceRequest(
        [],
        [
          spanFields([
            keyValue('ok', string(1, 'fine')),
            keyValue('bad', [...tag(1, 2), 9, 65]),
          ]),
        ],
      );

      const error = decodeError(bytes);

      expect(error.path).toBe(`${SPAN_PATH}.attributes[1].value.stringValue`);
      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.attributes[1].value.stringValue: length 9 runs past the end of the message (1 bytes left)`,
      );
    });

    it('rejects wrong wire type', () => {
      const bytes = traceRequest(
        [],
        [[...spanFields([]), ...varintField(9, 1)]],
      );

      expect(decodeError(bytes).message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.attributes: wire type 0 (varint); expected 2 (length-delimited)`,
      );
    });

    it('rejects group wire type', () => {
      expect(decodeError([...tag(50, 3)]).message).toBe(
        'Invalid ExportTraceServiceRequest at the top level: unsupported wire type 3 (start group) of field 50',
      );
    });

    it('rejects field number zero', () => {
      expect(decodeError([0x00, 0x01]).message).toBe(
        'Invalid ExportTraceServiceRequest at the top level: invalid field number 0 at byte 0',
      );
    });

    it('rejects truncated fixed64', () => {
      const span = [...spanFields([]), ...tag(8, 1), 1, 2, 3];
      const bytes = traceRequest([], [span]);

      expect(decodeError(bytes).message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.endTimeUnixNano: 8-byte value runs past the end of the message (3 bytes left)`,
      );
    });

    it('rejects long trace id', () => {
      const bytes = traceRequest([], [message(1, Array(17).fill(1))]);

      expect(decodeError(bytes).message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.traceId: id is 17 bytes; expected 16`,
      );
    });

    it('rejects deep nesting', () => {
      let value = string(1, 'leaf');
      for (let level = 0; level < 1000; level++) {
        value = message(5, message(1, value));
      }
      const bytes = traceRequest([], [spanFields([keyValue('deep', value)])]);

      const error = decodeError(bytes);

      const nested = '.arrayValue.values[0]'.repeat(MAX_ANY_VALUE_DEPTH);
      expect(error.path).toBe(
        `${SPAN_PATH}.attributes[0].value${nested}.arrayValue`,
      );
      expect(error.message).toMatch(/values are nested deeper than 32 levels$/);
    });

    it('survives mutated and truncated bytes', async () => {
      const spans = await recordSpans([
        {
          name: 'chat',
          attributes: {
            'gen_ai.usage.input_tokens': 10,
            'gen_ai.request.model': 'gpt-4o',
            list: ['a', 'b'],
          },
        },
      ]);
      const valid = ProtobufTraceSerializer.serializeRequest(spans)!;
      // A fixed linear congruential generator keeps the cases repeatable.
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const unexpected: string[] = [];

      for (let round = 0; round < 3000; round++) {
        const bytes = valid.slice(0, 1 + Math.floor(random() * valid.length));
        const flips = 1 + Math.floor(random() * 4);
        for (let flip = 0; flip < flips; flip++) {
          bytes[Math.floor(random() * bytes.length)] = Math.floor(
            random() * 256,
          );
        }
        try {
          decodeTraceRequestProtobuf(bytes);
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) {
            unexpected.push(String(error));
          }
        }
      }

      expect(unexpected).toEqual([]);
    });
  });

  it('reads span fields in position', () => {
    const bytes = traceRequest([], [spanFields([]), spanFields([])]);

    expect(decodeTraceRequestProtobuf(bytes).spans[1].position).toEqual([
      SPAN[0],
      SPAN[1],
      1,
    ]);
  });
});
