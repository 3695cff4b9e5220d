import { decodeTraceRequestJson } from './decodeJson';
import { OtlpDecodeError } from './types';

const TRACE_ID = '0AF7651916CD43DD8448EB211C80319C';
const SPAN_ID = 'B7AD6B7169203331';
const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';

function request(span: Record<string, unknown>, resource?: unknown): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: resource ?? {
          attributes: [
            {
              key: 'service.name',
              value: { stringValue: 'support-assistant' },
            },
          ],
        },
        scopeSpans: [
          { scope: { name: 'openai-v2', version: '2.1b0' }, spans: [span] },
        ],
      },
    ],
  });
}

const VALID_SPAN = {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  name: 'chat gpt-4o',
  kind: 3,
  startTimeUnixNano: '1763460000000000000',
  endTimeUnixNano: 1763460001500000000,
  attributes: [
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '1200' } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: 300 } },
    { key: 'gen_ai.request.temperature', value: { doubleValue: 0.5 } },
    { key: 'ai_cost.retry', value: { boolValue: false } },
    {
      key: 'tool',
      value: {
        kvlistValue: {
          values: [
            { key: 'name', value: { stringValue: 'search' } },
            {
              key: 'args',
              value: { arrayValue: { values: [{ intValue: '-3' }, {}] } },
            },
          ],
        },
      },
    },
    { key: 'raw', value: { bytesValue: 'AP8Q' } },
    { key: 'empty', value: {} },
  ],
  status: { code: 2, message: 'rate limited' },
};

function decodeError(text: string): OtlpDecodeError {
  try {
    decodeTraceRequestJson(text);
  } catch (error) {
    if (error instanceof OtlpDecodeError) {
      return error;
    }
    throw error;
  }
  throw new Error('decodeTraceRequestJson did not throw');
}

describe('decodeTraceRequestJson', () => {
  describe('valid request', () => {
    const span = decodeTraceRequestJson(request(VALID_SPAN)).spans[0];

    it('lowercases hex ids', () => {
      expect(span.traceId).toBe(TRACE_ID.toLowerCase());
      expect(span.spanId).toBe(SPAN_ID.toLowerCase());
    });

    it('reads times as string or number', () => {
      expect(span.startTimeUnixNano).toBe(1_763_460_000_000_000_000n);
      expect(span.endTimeUnixNano).toBe(BigInt(Number(1763460001500000000)));
    });

    it('reads scalar attributes', () => {
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1200);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(300);
      expect(span.attributes['gen_ai.request.temperature']).toBe(0.5);
      expect(span.attributes['ai_cost.retry']).toBe(false);
    });

    it('reads kvlist and array', () => {
      const tool = span.attributes.tool as Record<string, unknown>;

      expect(tool.name).toBe('search');
      // The empty AnyValue in the array is left out.
      expect(tool.args).toEqual([-3]);
    });

    it('reads base64 bytes', () => {
      expect(span.attributes.raw).toEqual(Uint8Array.from([0, 255, 16]));
    });

    it('leaves out empty values', () => {
      expect('empty' in span.attributes).toBe(false);
    });

    it('reads status resource scope', () => {
      expect(span.status).toEqual({ code: 2, message: 'rate limited' });
      expect(span.resource.attributes['service.name']).toBe(
        'support-assistant',
      );
      expect(span.scope).toEqual({ name: 'openai-v2', version: '2.1b0' });
    });

    it('keeps int64 beyond 2^53', () => {
      const decoded = decodeTraceRequestJson(
        request({
          ...VALID_SPAN,
          attributes: [
            { key: 'big', value: { intValue: '9223372036854775807' } },
          ],
        }),
      ).spans[0];

      expect(decoded.attributes.big).toBe(2n ** 63n - 1n);
    });

    it('accepts empty object', () => {
      expect(decodeTraceRequestJson('{}')).toEqual({ spans: [] });
    });

    it('ignores unknown fields', () => {
      const decoded = decodeTraceRequestJson(
        request({ ...VALID_SPAN, droppedEventsCount: 3, links: [] }),
      );

      expect(decoded.spans).toHaveLength(1);
    });
  });

  describe('malformed request', () => {
    it.each([
      [
        'non-JSON body',
        '{"resourceSpans": [',
        '',
        /^Invalid ExportTraceServiceRequest at the top level: body is not JSON \(/,
      ],
      [
        'array body',
        '[]',
        '',
        'Invalid ExportTraceServiceRequest at the top level: an array is not an object',
      ],
      [
        'resourceSpans object',
        '{"resourceSpans": {}}',
        'resourceSpans',
        'Invalid ExportTraceServiceRequest at resourceSpans: an object is not an array',
      ],
    ])('rejects %s', (_name, text, path, message) => {
      const error = decodeError(text);

      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    });

    it.each([
      [
        'string intValue',
        { intValue: '12x' },
        '.intValue',
        '"12x" is not a 64-bit integer; send a decimal string such as "1024"',
      ],
      [
        'fractional intValue',
        { intValue: 1.5 },
        '.intValue',
        '1.5 is not a 64-bit integer; send a decimal string such as "1024"',
      ],
      [
        'int64 overflow',
        { intValue: '9223372036854775808' },
        '.intValue',
        '"9223372036854775808" is not a 64-bit integer; send a decimal string such as "1024"',
      ],
      [
        'string boolValue',
        { boolValue: 'true' },
        '.boolValue',
        '"true" is not true or false',
      ],
      [
        'numeric stringValue',
        { stringValue: 5 },
        '.stringValue',
        '5 is not a string',
      ],
      [
        'bad base64',
        { bytesValue: 'not base64!' },
        '.bytesValue',
        'is not base64',
      ],
      [
        'array values object',
        { arrayValue: { values: {} } },
        '.arrayValue.values',
        'an object is not an array',
      ],
    ])('rejects %s', (_name, value, suffix, problem) => {
      const text = request({
        ...VALID_SPAN,
        attributes: [
          { key: 'ok', value: { stringValue: 'x' } },
          { key: 'bad', value },
        ],
      });
      const path = `${SPAN_PATH}.attributes[1].value${suffix}`;

      const error = decodeError(text);

      expect(error.path).toBe(path);
      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at ${path}: ${problem}`,
      );
    });

    it('rejects numeric attribute key', () => {
      const error = decodeError(
        request({ ...VALID_SPAN, attributes: [{ key: 7, value: {} }] }),
      );

      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.attributes[0].key: 7 is not a string`,
      );
    });

    it('rejects negative end time', () => {
      const error = decodeError(
        request({ ...VALID_SPAN, endTimeUnixNano: '-1' }),
      );

      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.endTimeUnixNano: "-1" is not an unsigned 64-bit integer; send nanoseconds since the Unix epoch as a decimal string`,
      );
    });

    it('rejects enum name', () => {
      const error = decodeError(
        request({ ...VALID_SPAN, kind: 'SPAN_KIND_CLIENT' }),
      );

      expect(error.message).toBe(
        `Invalid ExportTraceServiceRequest at ${SPAN_PATH}.kind: "SPAN_KIND_CLIENT" is not an enum number; OTLP/JSON encodes enums as integers`,
      );
    });

    it('rejects numeric trace id', () => {
      const error = decodeError(request({ ...VALID_SPAN, traceId: 12 }));

      expect(error.path).toBe(`${SPAN_PATH}.traceId`);
    });

    it('rejects deep nesting', () => {
      let value: unknown = { stringValue: 'leaf' };
      for (let level = 0; level < 1000; level++) {
        value = { arrayValue: { values: [value] } };
      }

      const error = decodeError(
        request({ ...VALID_SPAN, attributes: [{ key: 'deep', value }] }),
      );

      expect(error.path).toBe(
        `${SPAN_PATH}.attributes[0].value${'.arrayValue.values[0]'.repeat(
          32,
        )}.arrayValue`,
      );
      expect(error.message).toMatch(/values are nested deeper than 32 levels$/);
    });

    it('survives deeply nested JSON', () => {
      const text = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;

      expect(decodeError(text).message).toMatch(/top level/);
    });

    it('names resource attribute path', () => {
      const error = decodeError(
        request(VALID_SPAN, {
          attributes: [
            {
              key: 'service.name',
              value: { stringValue: null, intValue: 'x' },
            },
          ],
        }),
      );

      expect(error.path).toBe(
        'resourceSpans[0].resource.attributes[0].value.intValue',
      );
    });
  });
});
