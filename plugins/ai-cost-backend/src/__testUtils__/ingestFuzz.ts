import { gzipSync } from 'node:zlib';
import {
  doubleField,
  fixed64Field,
  int64Field,
  keyValue,
  message,
  string,
  varint,
  varintField,
} from '../otlp/__testUtils__/protobufWriter';
import { Random } from './fuzzRandom';
import {
  ChatSpan,
  JsonKeyValue,
  chatAttributes,
  chatSpanJson,
  stringAttribute,
  traceRequestJson,
} from './otlpJson';
import {
  EXTREME_END_NANOS,
  EXTREME_TIMESTAMPS,
  INVALID_REQUEST_FIELDS,
  INVALID_SPAN_ATTRIBUTES,
  INVALID_SPAN_FIELDS,
  nestedArray,
  setAttribute,
} from './otlpFuzzCases';

// A deterministic generator of malformed and mixed request bodies for the
// ingestion endpoints. Each payload lists the keys of the valid records in
// it, so that a test can compare what the database stores with what the
// generator produced.

/** A request of the fuzz run and the records that must be stored from it. */
export interface FuzzPayload {
  /** Name of the generator that made the payload, for failure messages. */
  kind: string;
  path: '/v1/traces' | '/usage' | '/billing/focus';
  contentType?: string;
  contentEncoding?: string;
  body: string | Buffer;
  /** Request keys of the valid usage records in the body. */
  usageKeys: string[];
  /** ResourceId values of the valid AI rows of a FOCUS body. */
  billingRows: string[];
  /** Statuses that the payload may get. */
  statuses: number[];
}

/** Limits of the app under test that the generator makes payloads exceed. */
export interface FuzzLimits {
  /** Body limit of the OTLP receiver, after decompression. */
  otlpMaxBodyBytes: number;
  /** Body limit of POST /usage: 20 MB in router.ts. */
  usageMaxBodyBytes: number;
}

const OTLP_JSON = 'application/json';
const OTLP_PROTOBUF = 'application/x-protobuf';
const BASE_MILLIS = Date.parse('2026-11-02T00:00:00Z');

/** Models of valid records; only gpt-4o has a price, the rest are unpriced. */
const MODELS = ['gpt-4o', 'gpt-4o', 'claude-sonnet-4', 'unknown-model-x'];

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/**
 * Generates payloads from a seed. Keys of valid records are unique within
 * one generator, apart from records that a payload sends again on purpose.
 */
export class FuzzGenerator {
  private readonly random: Random;
  private serial = 0;
  /** Valid OTLP spans sent before, to send again as duplicates. */
  private readonly sentSpans: ChatSpan[] = [];

  constructor(seed: number, private readonly limits: FuzzLimits) {
    this.random = new Random(seed);
  }

  /** Generates `count` payloads spread over every kind. */
  *payloads(count: number): Generator<FuzzPayload> {
    const kinds: Array<[weight: number, make: () => FuzzPayload]> = [
      [14, () => this.otlpJsonMixed()],
      [6, () => this.otlpJsonBroken()],
      [9, () => this.otlpJsonWrongType()],
      [12, () => this.otlpProtobufMixed()],
      [3, () => this.otlpProtobufTruncated()],
      [3, () => this.otlpProtobufRandom()],
      [3, () => this.otlpProtobufWrongWireType()],
      [4, () => this.otlpProtobufBitFlip()],
      [2, () => this.otlpProtobufOversizeLength()],
      [4, () => this.gzipCorrupt()],
      [1, () => this.gzipBomb()],
      [2, () => this.wrongContentType()],
      [1, () => this.otlpOversize()],
      [7, () => this.usageJsonMixed()],
      [5, () => this.usageJsonLinesMixed()],
      [7, () => this.usageCsvMixed()],
      [3, () => this.usageBroken()],
      [8, () => this.focusMixed()],
      [3, () => this.focusBroken()],
    ];
    const total = kinds.reduce((sum, [weight]) => sum + weight, 0);

    for (let index = 0; index < count; index++) {
      let roll = this.random.next() * total;
      for (const [weight, make] of kinds) {
        roll -= weight;
        if (roll < 0) {
          yield make();
          break;
        }
      }
    }
    // Once per run: bodies past the 20 MB limit of POST /usage.
    yield this.usageOversize();
    yield this.usageGzipBomb();
  }

  private nextSpan(): ChatSpan {
    this.serial += 1;
    const input = this.random.int(0, 50_000);
    return {
      traceId: hex(this.serial, 32),
      spanId: hex(this.random.int(1, 0xffffff) * 0x1000000 + this.serial, 16),
      endMillis: BASE_MILLIS + this.random.int(0, 30 * 86_400_000),
      model: this.random.pick(MODELS),
      inputTokens: input,
      cachedInputTokens: this.random.int(0, input),
      outputTokens: this.random.int(0, 20_000),
    };
  }

  /** Span objects of a mixed batch and the keys of its valid spans. */
  private mixedSpans(): {
    spans: Array<Record<string, unknown>>;
    keys: string[];
  } {
    const spans: Array<Record<string, unknown>> = [];
    const keys: string[] = [];
    const count = this.random.int(1, 12);

    for (let index = 0; index < count; index++) {
      const roll = this.random.next();
      const span = this.nextSpan();

      if (roll < 0.45) {
        const spanObject = chatSpanJson(span, this.validExtras(span));
        spans.push(spanObject);
        if (this.random.chance(0.03)) {
          // Rejected: the end time is no plausible request time.
          spanObject.endTimeUnixNano = this.random.pick(EXTREME_END_NANOS);
        } else {
          keys.push(`otlp:${span.traceId}:${span.spanId}`);
          this.sentSpans.push(span);
        }
      } else if (roll < 0.5 && this.sentSpans.length > 0) {
        // Sent before, so a duplicate that adds no record.
        const again = this.random.pick(this.sentSpans);
        spans.push(chatSpanJson(again));
        keys.push(`otlp:${again.traceId}:${again.spanId}`);
      } else if (roll < 0.75) {
        const [, change] = this.random.pick(INVALID_SPAN_ATTRIBUTES);
        spans.push(chatSpanJson(span, change(chatAttributes(span))));
      } else if (roll < 0.9) {
        const spanObject = chatSpanJson(span);
        this.random.pick(INVALID_SPAN_FIELDS)[1](spanObject);
        spans.push(spanObject);
      } else {
        spans.push(chatSpanJson(span, this.ignoredAttributes(span)));
      }
    }
    return { spans, keys };
  }

  /** Attributes of a valid span, with unknown, long or nested extras. */
  private validExtras(span: ChatSpan): JsonKeyValue[] {
    const attributes = chatAttributes(span);
    const roll = this.random.next();
    if (roll < 0.1) {
      attributes.push(stringAttribute('prompt.text', 'x'.repeat(60_000)));
    } else if (roll < 0.2) {
      attributes.push({ key: 'deep', value: nestedArray(31) });
    } else if (roll < 0.3) {
      attributes.push({
        key: 'unknown.fields',
        value: { stringValue: 'v', futureField: { a: [1, 2] } },
      });
    } else if (roll < 0.35) {
      attributes.push({ key: '__proto__', value: { stringValue: 'x' } });
    } else if (roll < 0.4) {
      attributes.push({ key: 'empty', value: {} });
    }
    return attributes;
  }

  /** Attributes of a span that carries no usage or is an agent span. */
  private ignoredAttributes(span: ChatSpan): JsonKeyValue[] {
    if (this.random.chance(0.5)) {
      return [stringAttribute('db.system', 'qdrant')];
    }
    return setAttribute(
      chatAttributes(span),
      stringAttribute('gen_ai.operation.name', 'invoke_agent'),
    );
  }

  private otlpJsonMixed(): FuzzPayload {
    const { spans, keys } = this.mixedSpans();
    const request: Record<string, unknown> = traceRequestJson(spans);
    if (this.random.chance(0.2)) {
      request.unknownTopLevel = { nested: [1, 'two', null] };
    }
    return {
      kind: 'OTLP/JSON mixed spans',
      path: '/v1/traces',
      contentType: OTLP_JSON,
      body: JSON.stringify(request),
      usageKeys: keys,
      billingRows: [],
      statuses: [200],
    };
  }

  private otlpJsonBroken(): FuzzPayload {
    const text = JSON.stringify(traceRequestJson(this.mixedSpans().spans));
    const variants = [
      () => text.slice(0, this.random.int(0, text.length - 1)),
      () => text.replace('{', '{,'),
      () => text.replace(/"/g, "'"),
      () => `${text}}`,
      () => text.replace(/:/, ''),
      () => '\u0000\u0001\u0002',
      () => 'null',
      () => '[]',
      () => '"resourceSpans"',
      () => '12345678901234567890',
      () => '',
    ];
    return {
      kind: 'OTLP/JSON broken JSON',
      path: '/v1/traces',
      contentType: OTLP_JSON,
      body: this.random.pick(variants)(),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  private otlpJsonWrongType(): FuzzPayload {
    const spans = this.mixedSpans().spans;
    const request = traceRequestJson(spans.length > 0 ? spans : []);
    const [name, change] = this.random.pick(INVALID_REQUEST_FIELDS);
    change(request);
    return {
      kind: `OTLP/JSON wrong type: ${name}`,
      path: '/v1/traces',
      contentType: OTLP_JSON,
      body: JSON.stringify(request),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  /** Encodes chat spans as protobuf span fields, some of them broken. */
  private protobufSpan(
    span: ChatSpan,
    variant: 'valid' | 'invalid' | 'ignored',
  ): number[] {
    const endNanos = BigInt(span.endMillis) * 1_000_000n;
    let traceId = Buffer.from(span.traceId, 'hex');
    const attributes: number[][] = [];
    const tokens: Array<[string, number[]]> = [
      ['gen_ai.usage.input_tokens', int64Field(3, BigInt(span.inputTokens))],
      [
        'gen_ai.usage.cache_read.input_tokens',
        int64Field(3, BigInt(span.cachedInputTokens)),
      ],
      ['gen_ai.usage.output_tokens', int64Field(3, BigInt(span.outputTokens))],
    ];
    let model: string | undefined = span.model;

    if (variant === 'invalid') {
      const breakage = this.random.int(0, 4);
      if (breakage === 0) {
        tokens[2][1] = int64Field(3, -5n);
      } else if (breakage === 1) {
        tokens[0][1] = int64Field(3, 9_223_372_036_854_775_807n);
      } else if (breakage === 2) {
        tokens[0][1] = doubleField(4, 0.5);
      } else if (breakage === 3) {
        model = undefined;
      } else {
        traceId = traceId.subarray(0, 8);
      }
    }

    attributes.push(keyValue('gen_ai.operation.name', string(1, 'chat')));
    attributes.push(keyValue('gen_ai.provider.name', string(1, 'openai')));
    if (model !== undefined) {
      attributes.push(keyValue('gen_ai.request.model', string(1, model)));
    }
    if (variant !== 'ignored') {
      attributes.push(...tokens.map(([key, value]) => keyValue(key, value)));
    }

    return [
      ...message(1, [...traceId]),
      ...message(2, [...Buffer.from(span.spanId, 'hex')]),
      ...string(5, `chat ${span.model}`),
      ...varintField(6, 3),
      ...fixed64Field(7, endNanos - 1_000_000_000n),
      ...fixed64Field(8, endNanos),
      ...attributes.flatMap(attribute => message(9, attribute)),
    ];
  }

  /** Encodes one ResourceSpans with one scope around the span fields. */
  private protobufRequest(spans: number[][]): Buffer {
    const resource = message(
      1,
      message(1, keyValue('service.name', string(1, 'support-assistant'))),
    );
    const scopeSpans = message(
      2,
      message(1, string(1, 'ai-cost-fuzz'), string(2, '1.0.0')),
      ...spans.map(span => message(2, span)),
    );
    return Buffer.from(message(1, resource, scopeSpans));
  }

  private otlpProtobufMixed(): FuzzPayload {
    const spans: number[][] = [];
    const keys: string[] = [];
    const count = this.random.int(1, 12);
    for (let index = 0; index < count; index++) {
      const span = this.nextSpan();
      const variant = this.random.pick([
        'valid',
        'invalid',
        'ignored',
      ] as const);
      spans.push(this.protobufSpan(span, variant));
      if (variant === 'valid') {
        keys.push(`otlp:${span.traceId}:${span.spanId}`);
        this.sentSpans.push(span);
      }
    }
    const bytes = this.protobufRequest(this.random.shuffle(spans));
    const compressed = this.random.chance(0.3);
    return {
      kind: 'OTLP/protobuf mixed spans',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      contentEncoding: compressed ? 'gzip' : undefined,
      body: compressed ? gzipSync(bytes) : bytes,
      usageKeys: keys,
      billingRows: [],
      statuses: [200],
    };
  }

  /**
   * Encodes spans without token attributes. No change of a few bits
   * turns their bytes into a span with usage, because no key in them is
   * within a few bits of a token attribute name, so any decoding of a
   * broken copy stores nothing.
   */
  private protobufWithoutUsage(): Buffer {
    const spans: number[][] = [];
    const count = this.random.int(1, 6);
    for (let index = 0; index < count; index++) {
      spans.push(this.protobufSpan(this.nextSpan(), 'ignored'));
    }
    return this.protobufRequest(spans);
  }

  private otlpProtobufTruncated(): FuzzPayload {
    const { bytes } = this.protobufMixedBytes();
    return {
      kind: 'OTLP/protobuf truncated',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      body: bytes.subarray(0, this.random.int(1, bytes.length - 1)),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  /** Protobuf bytes of one ResourceSpans with valid spans, for breaking. */
  private protobufMixedBytes(): { bytes: Buffer } {
    const spans: number[][] = [];
    const count = this.random.int(1, 6);
    for (let index = 0; index < count; index++) {
      spans.push(this.protobufSpan(this.nextSpan(), 'valid'));
    }
    return { bytes: this.protobufRequest(spans) };
  }

  private otlpProtobufRandom(): FuzzPayload {
    return {
      kind: 'OTLP/protobuf random bytes',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      body: this.random.bytes(this.random.int(1, 2048)),
      usageKeys: [],
      billingRows: [],
      statuses: [200, 400],
    };
  }

  private otlpProtobufWrongWireType(): FuzzPayload {
    // Known fields with another wire type, at several levels.
    const wrong = this.random.pick([
      // resourceSpans as a varint
      () => Buffer.from(varintField(1, 5)),
      // scopeSpans as fixed64 inside resourceSpans
      () => Buffer.from(message(1, fixed64Field(2, 1n))),
      // span start time as a varint
      () =>
        Buffer.from(
          message(1, message(2, message(2, varintField(7, 1_700_000_000)))),
        ),
      // attribute key as a varint
      () =>
        Buffer.from(
          message(1, message(2, message(2, message(9, varintField(1, 3))))),
        ),
      // wire type 3 (start group), which proto3 does not use
      () => Buffer.from([...this.protobufWithoutUsage(), 0x0b]),
      // wire type 7, which does not exist
      () => Buffer.from([0x0f, 0x00]),
    ]);
    return {
      kind: 'OTLP/protobuf wrong wire type',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      body: wrong(),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  private otlpProtobufBitFlip(): FuzzPayload {
    const bytes = Buffer.from(this.protobufWithoutUsage());
    const flips = this.random.int(1, 3);
    for (let flip = 0; flip < flips; flip++) {
      const index = this.random.int(0, bytes.length - 1);
      bytes[index] ^= 1 << this.random.int(0, 7);
    }
    return {
      kind: 'OTLP/protobuf bit flips',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      body: bytes,
      usageKeys: [],
      billingRows: [],
      statuses: [200, 400],
    };
  }

  private otlpProtobufOversizeLength(): FuzzPayload {
    const length = this.random.pick([
      2n ** 31n,
      2n ** 32n + 5n,
      2n ** 53n + 1n,
      2n ** 63n,
      2n ** 64n - 1n,
      1000n,
    ]);
    const inner = this.protobufWithoutUsage();
    return {
      kind: 'OTLP/protobuf oversize length prefix',
      path: '/v1/traces',
      contentType: OTLP_PROTOBUF,
      body: Buffer.from([0x0a, ...varint(length), ...inner.subarray(0, 50)]),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  private gzipCorrupt(): FuzzPayload {
    const json = this.random.chance(0.5);
    const plain = json
      ? Buffer.from(
          JSON.stringify(
            traceRequestJson([
              { traceId: hex(++this.serial, 32), spanId: 'aa'.repeat(8) },
            ]),
          ),
        )
      : this.protobufWithoutUsage();
    const compressed = Buffer.from(gzipSync(plain));
    let body: Buffer;
    const roll = this.random.int(0, 3);
    if (roll === 0) {
      body = compressed.subarray(0, this.random.int(1, compressed.length - 1));
    } else if (roll === 1) {
      // Deflate data and CRC: bytes 10 onwards of the gzip member.
      const index = this.random.int(10, compressed.length - 1);
      compressed[index] ^= 0xff;
      body = compressed;
    } else if (roll === 2) {
      body = this.random.bytes(this.random.int(1, 300));
    } else {
      body = Buffer.concat([
        compressed.subarray(0, 10),
        Buffer.alloc(40, 0xff),
      ]);
    }
    return {
      kind: 'gzip corrupt body',
      path: '/v1/traces',
      contentType: json ? OTLP_JSON : OTLP_PROTOBUF,
      contentEncoding: 'gzip',
      body,
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  private gzipBomb(): FuzzPayload {
    const size = this.limits.otlpMaxBodyBytes * this.random.int(2, 8);
    return {
      kind: 'gzip bomb over the OTLP limit',
      path: '/v1/traces',
      contentType: this.random.pick([OTLP_JSON, OTLP_PROTOBUF]),
      contentEncoding: 'gzip',
      body: gzipSync(Buffer.alloc(size, this.random.pick([0, 0x20]))),
      usageKeys: [],
      billingRows: [],
      statuses: [413],
    };
  }

  private wrongContentType(): FuzzPayload {
    const body = JSON.stringify(traceRequestJson(this.mixedSpans().spans));
    const variants: Array<() => FuzzPayload> = [
      () => ({
        kind: 'OTLP with a wrong content type',
        path: '/v1/traces',
        contentType: this.random.pick([
          'text/plain',
          'application/xml',
          'application/protobuf-ish',
          'multipart/form-data; boundary=x',
        ]),
        body,
        usageKeys: [],
        billingRows: [],
        statuses: [415],
      }),
      () => ({
        kind: 'OTLP with an unknown content encoding',
        path: '/v1/traces',
        contentType: OTLP_JSON,
        contentEncoding: this.random.pick(['br', 'compress', 'x-zip']),
        body,
        usageKeys: [],
        billingRows: [],
        statuses: [415],
      }),
      () => ({
        kind: 'POST /usage with a wrong content type',
        path: '/usage',
        contentType: this.random.pick(['text/plain', 'application/xml']),
        body: '[]',
        usageKeys: [],
        billingRows: [],
        statuses: [400],
      }),
      () => ({
        kind: 'FOCUS import with a wrong content type',
        path: '/billing/focus',
        contentType: this.random.pick(['application/json', 'text/plain']),
        body: 'BilledCost\n1',
        usageKeys: [],
        billingRows: [],
        statuses: [400],
      }),
    ];
    return this.random.pick(variants)();
  }

  private otlpOversize(): FuzzPayload {
    const size = this.limits.otlpMaxBodyBytes + this.random.int(1, 4096);
    const json = this.random.chance(0.5);
    return {
      kind: 'OTLP body over the limit',
      path: '/v1/traces',
      contentType: json ? OTLP_JSON : OTLP_PROTOBUF,
      body: json ? ' '.repeat(size) : Buffer.alloc(size, 0),
      usageKeys: [],
      billingRows: [],
      statuses: [413],
    };
  }

  /** A valid normalised record as JSON values, and its request key. */
  private validUsageRecord(): { record: Record<string, unknown>; key: string } {
    const span = this.nextSpan();
    const requestId = `fuzz-usage-${this.serial}`;
    const record: Record<string, unknown> = {
      timestamp: new Date(span.endMillis).toISOString(),
      provider: 'openai',
      model: span.model,
      inputTokens: span.inputTokens,
      cachedInputTokens: span.cachedInputTokens,
      outputTokens: span.outputTokens,
      requestId,
    };
    if (this.random.chance(0.03)) {
      record.timestamp = this.random.pick(EXTREME_TIMESTAMPS);
      record.requestId = `${requestId}-extreme`;
    }
    if (this.random.chance(0.5)) {
      record.service = 'support-assistant';
    } else {
      record.entityRef = 'component:default/other-service';
    }
    if (this.random.chance(0.2)) {
      record.serviceTier = 'batch';
      record.taskOutcome = 'success';
      record.retry = true;
    }
    return { record, key: String(record.requestId) };
  }

  /** Builds a normalised record that fails validation of one field. */
  private invalidUsageRecord(): Record<string, unknown> {
    const { record } = this.validUsageRecord();
    const breakage = this.random.pick<(r: Record<string, unknown>) => void>([
      r => (r.inputTokens = -1),
      r => (r.inputTokens = 1.5),
      r => (r.outputTokens = 100_000_001),
      r => (r.outputTokens = '1e3'),
      r => (r.outputTokens = '0x10'),
      r => (r.inputTokens = Number.MAX_SAFE_INTEGER + 2),
      r => (r.cachedInputTokens = Number(r.inputTokens) + 1),
      r => delete r.timestamp,
      r => (r.timestamp = '2023-02-30T00:00:00Z'),
      r => (r.timestamp = 1_700_000_000),
      r => delete r.provider,
      r => (r.model = ''),
      r => (r.model = 'x'.repeat(256)),
      r => (r.inputToken = 5),
      r => (r.serviceTier = 'gold'),
      r => (r.providerCost = '1,50'),
      r => (r.providerCost = '0.1'.padEnd(20, '1')),
      r => (r.taskOutcome = 'maybe'),
      r => (r.queryComplexity = 'hard'),
      r => (r.retry = 'yes'),
      r => (r.entityRef = 42),
      r => {
        delete r.service;
        delete r.entityRef;
      },
      r => (r.attributes = ['service.name']),
      r => (r.attributes = { 'service.name': { nested: true } }),
    ]);
    breakage(record);
    return record;
  }

  /** Records of a mixed batch, in order, with the valid keys. */
  private mixedUsageRecords(): {
    records: unknown[];
    keys: string[];
    invalid: number;
  } {
    const records: unknown[] = [];
    const keys: string[] = [];
    let invalid = 0;
    const count = this.random.int(1, 10);
    for (let index = 0; index < count; index++) {
      if (this.random.chance(0.5)) {
        const { record, key } = this.validUsageRecord();
        records.push(record);
        keys.push(key);
      } else if (this.random.chance(0.1)) {
        records.push(this.random.pick([null, 5, 'record', [1, 2]]));
        invalid += 1;
      } else {
        records.push(this.invalidUsageRecord());
        invalid += 1;
      }
    }
    return { records, keys, invalid };
  }

  private usageJsonMixed(): FuzzPayload {
    const { records, keys, invalid } = this.mixedUsageRecords();
    const body = JSON.stringify(
      this.random.chance(0.5) ? records : { records },
    );
    const compressed = this.random.chance(0.2);
    return {
      kind: 'POST /usage JSON mixed records',
      path: '/usage',
      contentType: 'application/json',
      contentEncoding: compressed ? 'gzip' : undefined,
      body: compressed ? gzipSync(body) : body,
      usageKeys: keys,
      billingRows: [],
      statuses: [invalid > 0 ? 400 : 200],
    };
  }

  private usageJsonLinesMixed(): FuzzPayload {
    const { records, keys, invalid } = this.mixedUsageRecords();
    const lines = records.map(record => JSON.stringify(record));
    let broken = 0;
    if (this.random.chance(0.5)) {
      lines.splice(this.random.int(0, lines.length), 0, '{"timestamp": ');
      broken += 1;
    }
    if (this.random.chance(0.3)) {
      lines.splice(this.random.int(0, lines.length), 0, '');
    }
    return {
      kind: 'POST /usage JSON Lines mixed records',
      path: '/usage',
      contentType: this.random.pick([
        'application/x-ndjson',
        'application/jsonl',
      ]),
      body: lines.join(this.random.pick(['\n', '\r\n'])),
      usageKeys: keys,
      billingRows: [],
      statuses: [invalid + broken > 0 ? 400 : 200],
    };
  }

  private usageCsvMixed(): FuzzPayload {
    const columns = [
      'timestamp',
      'service',
      'provider',
      'model',
      'inputTokens',
      'cachedInputTokens',
      'outputTokens',
      'requestId',
    ];
    const lines = [columns.join(',')];
    const keys: string[] = [];
    let rejected = 0;
    const count = this.random.int(1, 10);

    for (let index = 0; index < count; index++) {
      const { record, key } = this.validUsageRecord();
      const values = [
        String(record.timestamp),
        'support-assistant',
        'openai',
        String(record.model),
        String(record.inputTokens),
        String(record.cachedInputTokens),
        String(record.outputTokens),
        key,
      ];
      const breakage = this.random.int(0, 9);
      if (breakage < 5) {
        lines.push(values.join(','));
        keys.push(key);
        continue;
      }
      rejected += 1;
      if (breakage === 5) {
        values[4] = this.random.pick(['-5', '1.5', 'abc', '1e3', '1,000']);
        lines.push(values.join(','));
      } else if (breakage === 6) {
        lines.push([...values, 'extra'].join(','));
      } else if (breakage === 7) {
        lines.push(values.slice(0, -1).join(','));
      } else if (breakage === 8) {
        lines.push(`"${values.join(',')}`);
      } else {
        values[3] = `mo"del`;
        lines.push(`${values.slice(0, 3).join(',')},"${values[3]},x`);
      }
    }

    // The header breaks the whole body in one payload of ten.
    const headerBreakage = this.random.int(0, 9);
    if (headerBreakage === 0) {
      lines[0] = columns.filter(column => column !== 'provider').join(',');
    } else if (headerBreakage === 1) {
      lines[0] = `${lines[0]},bogusColumn`;
    } else if (headerBreakage === 2) {
      lines[0] = `${lines[0]},model`;
    }
    const headerBroken = headerBreakage <= 2;

    return {
      kind: headerBroken
        ? 'POST /usage CSV broken header'
        : 'POST /usage CSV mixed lines',
      path: '/usage',
      contentType: 'text/csv',
      body: lines.join(this.random.pick(['\n', '\r\n'])),
      usageKeys: headerBroken ? [] : keys,
      billingRows: [],
      statuses: [headerBroken || rejected > 0 ? 400 : 200],
    };
  }

  private usageBroken(): FuzzPayload {
    const { records } = this.mixedUsageRecords();
    const text = JSON.stringify(records);
    const variants: Array<[string, string]> = [
      ['application/json', text.slice(0, this.random.int(1, text.length - 1))],
      ['application/json', '{"records": 5}'],
      ['application/json', '{"items": []}'],
      ['application/json', '"records"'],
      ['application/json', 'null'],
      ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['text/csv', ''],
      ['text/csv', '\uFEFF'],
      ['text/csv', '"unclosed,header\n1,2'],
    ];
    const [contentType, body] = this.random.pick(variants);
    if (this.random.chance(0.3)) {
      const compressed = gzipSync(text);
      return {
        kind: 'POST /usage corrupt gzip',
        path: '/usage',
        contentType: 'application/json',
        contentEncoding: 'gzip',
        body: compressed.subarray(0, this.random.int(1, compressed.length - 1)),
        usageKeys: [],
        billingRows: [],
        statuses: [400],
      };
    }
    return {
      kind: 'POST /usage broken body',
      path: '/usage',
      contentType,
      body,
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }

  private usageOversize(): FuzzPayload {
    const record = this.validUsageRecord().record;
    const line = JSON.stringify(record);
    const copies = Math.ceil(this.limits.usageMaxBodyBytes / line.length) + 10;
    return {
      kind: 'POST /usage body over the limit',
      path: '/usage',
      contentType: 'application/x-ndjson',
      body: Array.from({ length: copies }, () => line).join('\n'),
      usageKeys: [],
      billingRows: [],
      statuses: [413],
    };
  }

  private usageGzipBomb(): FuzzPayload {
    const text = `[${' '.repeat(this.limits.usageMaxBodyBytes + 1024)}]`;
    return {
      kind: 'POST /usage gzip bomb',
      path: '/usage',
      contentType: 'application/json',
      contentEncoding: 'gzip',
      body: gzipSync(text),
      usageKeys: [],
      billingRows: [],
      statuses: [413],
    };
  }

  private focusMixed(): FuzzPayload {
    const header =
      'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory,ResourceId,Tags';
    const lines = [header];
    const rows: string[] = [];
    let rejected = 0;
    let valid = 0;
    const count = this.random.int(1, 10);

    for (let index = 0; index < count; index++) {
      this.serial += 1;
      const resourceId = `fuzz-resource-${this.serial}`;
      const day = this.random.int(1, 28).toString().padStart(2, '0');
      const values = [
        `${this.random.int(0, 999)}.${this.random.int(0, 99)}`,
        'USD',
        'Usage',
        `2026-11-${day}T00:00:00Z`,
        `2026-11-${day}T01:00:00Z`,
        'Azure OpenAI',
        'AI and Machine Learning',
        resourceId,
        '"{""backstage-entity"": ""support-assistant""}"',
      ];
      const breakage = this.random.int(0, 12);
      if (breakage < 5) {
        lines.push(values.join(','));
        rows.push(resourceId);
        valid += 1;
        continue;
      }
      if (breakage === 5) {
        // Valid, but not AI cost, so skipped.
        values[6] = 'Storage';
        lines.push(values.join(','));
        valid += 1;
        continue;
      }
      rejected += 1;
      if (breakage === 6) {
        values[0] = this.random.pick(['abc', '$5', '1e400', '']);
      } else if (breakage === 7) {
        values[1] = this.random.pick(['usd', 'DOLLAR', '']);
      } else if (breakage === 8) {
        values[3] = this.random.pick(['2026-13-01', 'yesterday', '']);
      } else if (breakage === 9) {
        values[2] = 'Refund';
      } else if (breakage === 10) {
        values[8] = this.random.pick([
          '"{not json"',
          '"[1,2]"',
          '"{""backstage-entity"": 5}"',
        ]);
      } else if (breakage === 11) {
        values.push('extra');
      } else {
        values[5] = `Azure "OpenAI"`;
      }
      lines.push(values.join(','));
    }

    // An unclosed quote swallows the lines after it, so it comes last.
    if (this.random.chance(0.15)) {
      lines.push('"1.00,USD,Usage');
      rejected += 1;
    }
    return {
      kind: 'FOCUS import mixed rows',
      path: '/billing/focus',
      contentType: 'text/csv',
      body: lines.join(this.random.pick(['\n', '\r\n'])),
      usageKeys: [],
      billingRows: rows,
      statuses: [valid > 0 || rejected === 0 ? 200 : 400],
    };
  }

  private focusBroken(): FuzzPayload {
    const variants = [
      '',
      '\n\n',
      'BilledCost,BillingCurrency\n1,USD',
      'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceName\n',
      '"BilledCost,BillingCurrency',
      this.random.bytes(this.random.int(1, 500)).toString('latin1'),
    ];
    if (this.random.chance(0.2)) {
      return {
        kind: 'FOCUS import truncated gzip body',
        path: '/billing/focus',
        contentType: 'text/csv',
        contentEncoding: 'gzip',
        body: gzipSync(
          'BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,ServiceCategory\n1,USD,Usage,2026-11-01,2026-11-02,Azure OpenAI,AI and Machine Learning\n',
        ).subarray(0, 40),
        usageKeys: [],
        billingRows: [],
        statuses: [400],
      };
    }
    return {
      kind: 'FOCUS import broken header',
      path: '/billing/focus',
      contentType: 'text/csv',
      body: this.random.pick(variants),
      usageKeys: [],
      billingRows: [],
      statuses: [400],
    };
  }
}
