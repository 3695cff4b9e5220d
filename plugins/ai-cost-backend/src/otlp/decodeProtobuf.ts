import {
  AttributeMap,
  AttributeValue,
  MAX_ANY_VALUE_DEPTH,
  OtlpDecodeError,
  OtlpResource,
  OtlpScope,
  OtlpSpan,
  TraceRequest,
  createAttributeMap,
} from './types';

// Decoder of the protobuf wire format for the part of
// ExportTraceServiceRequest (opentelemetry-proto, collector/trace/v1 and
// trace/v1) that usage records need. Fields are read in any order, unknown
// fields are skipped by wire type, and every length is checked against the
// end of its enclosing message, so hostile bytes end in an OtlpDecodeError.

/** Failure inside a message; callers add the field path on the way out. */
class WireError {
  readonly segments: string[] = [];

  constructor(readonly problem: string, field?: string) {
    if (field !== undefined) {
      this.segments.push(field);
    }
  }
}

/** Adds one path segment to a WireError and throws it on. */
function rethrowWithin(error: unknown, segment: string): never {
  if (error instanceof WireError) {
    error.segments.push(segment);
  }
  throw error;
}

interface Reader {
  bytes: Uint8Array;
  buffer: Buffer;
  view: DataView;
  pos: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

const WIRE_NAMES = [
  'varint',
  'fixed64',
  'length-delimited',
  'start group',
  'end group',
  'fixed32',
];

// Tags are (field number << 3) | wire type.
const TAG_RESOURCE_SPANS = (1 << 3) | WIRE_LENGTH;
const TAG_RESOURCE = (1 << 3) | WIRE_LENGTH;
const TAG_SCOPE_SPANS = (2 << 3) | WIRE_LENGTH;
const TAG_SCOPE = (1 << 3) | WIRE_LENGTH;
const TAG_SPANS = (2 << 3) | WIRE_LENGTH;
const TAG_RESOURCE_ATTRIBUTES = (1 << 3) | WIRE_LENGTH;
const TAG_SCOPE_NAME = (1 << 3) | WIRE_LENGTH;
const TAG_SCOPE_VERSION = (2 << 3) | WIRE_LENGTH;
const TAG_TRACE_ID = (1 << 3) | WIRE_LENGTH;
const TAG_SPAN_ID = (2 << 3) | WIRE_LENGTH;
const TAG_NAME = (5 << 3) | WIRE_LENGTH;
const TAG_KIND = (6 << 3) | WIRE_VARINT;
const TAG_START_TIME = (7 << 3) | WIRE_FIXED64;
const TAG_END_TIME = (8 << 3) | WIRE_FIXED64;
const TAG_ATTRIBUTES = (9 << 3) | WIRE_LENGTH;
const TAG_STATUS = (15 << 3) | WIRE_LENGTH;
const TAG_STATUS_MESSAGE = (2 << 3) | WIRE_LENGTH;
const TAG_STATUS_CODE = (3 << 3) | WIRE_VARINT;
const TAG_KEY = (1 << 3) | WIRE_LENGTH;
const TAG_VALUE = (2 << 3) | WIRE_LENGTH;
const TAG_STRING_VALUE = (1 << 3) | WIRE_LENGTH;
const TAG_BOOL_VALUE = (2 << 3) | WIRE_VARINT;
const TAG_INT_VALUE = (3 << 3) | WIRE_VARINT;
const TAG_DOUBLE_VALUE = (4 << 3) | WIRE_FIXED64;
const TAG_ARRAY_VALUE = (5 << 3) | WIRE_LENGTH;
const TAG_KVLIST_VALUE = (6 << 3) | WIRE_LENGTH;
const TAG_BYTES_VALUE = (7 << 3) | WIRE_LENGTH;
const TAG_VALUES = (1 << 3) | WIRE_LENGTH;

/** Names and wire types of the fields that each message decodes. */
type KnownFields = Record<number, [name: string, wireType: number]>;

const REQUEST_FIELDS: KnownFields = { 1: ['resourceSpans', WIRE_LENGTH] };
const RESOURCE_SPANS_FIELDS: KnownFields = {
  1: ['resource', WIRE_LENGTH],
  2: ['scopeSpans', WIRE_LENGTH],
};
const RESOURCE_FIELDS: KnownFields = { 1: ['attributes', WIRE_LENGTH] };
const SCOPE_SPANS_FIELDS: KnownFields = {
  1: ['scope', WIRE_LENGTH],
  2: ['spans', WIRE_LENGTH],
};
const SCOPE_FIELDS: KnownFields = {
  1: ['name', WIRE_LENGTH],
  2: ['version', WIRE_LENGTH],
};
const SPAN_FIELDS: KnownFields = {
  1: ['traceId', WIRE_LENGTH],
  2: ['spanId', WIRE_LENGTH],
  5: ['name', WIRE_LENGTH],
  6: ['kind', WIRE_VARINT],
  7: ['startTimeUnixNano', WIRE_FIXED64],
  8: ['endTimeUnixNano', WIRE_FIXED64],
  9: ['attributes', WIRE_LENGTH],
  15: ['status', WIRE_LENGTH],
};
const STATUS_FIELDS: KnownFields = {
  2: ['message', WIRE_LENGTH],
  3: ['code', WIRE_VARINT],
};
const KEY_VALUE_FIELDS: KnownFields = {
  1: ['key', WIRE_LENGTH],
  2: ['value', WIRE_LENGTH],
};
const ANY_VALUE_FIELDS: KnownFields = {
  1: ['stringValue', WIRE_LENGTH],
  2: ['boolValue', WIRE_VARINT],
  3: ['intValue', WIRE_VARINT],
  4: ['doubleValue', WIRE_FIXED64],
  5: ['arrayValue', WIRE_LENGTH],
  6: ['kvlistValue', WIRE_LENGTH],
  7: ['bytesValue', WIRE_LENGTH],
};
const VALUES_FIELDS: KnownFields = { 1: ['values', WIRE_LENGTH] };

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/**
 * Decodes a protobuf-encoded `ExportTraceServiceRequest` into its spans.
 * Throws OtlpDecodeError naming the field path for malformed input.
 */
export function decodeTraceRequestProtobuf(bytes: Uint8Array): TraceRequest {
  const reader: Reader = {
    bytes,
    buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    pos: 0,
  };
  const spans: OtlpSpan[] = [];
  let resourceIndex = 0;

  try {
    while (reader.pos < bytes.length) {
      const tag = readTag(reader, bytes.length);
      if (tag !== TAG_RESOURCE_SPANS) {
        skipField(reader, bytes.length, tag, REQUEST_FIELDS);
        continue;
      }
      const end = readMessageEnd(reader, bytes.length, 'resourceSpans');
      try {
        decodeResourceSpans(reader, end, resourceIndex, spans);
      } catch (error) {
        rethrowWithin(error, `resourceSpans[${resourceIndex}]`);
      }
      resourceIndex += 1;
    }
  } catch (error) {
    if (error instanceof WireError) {
      throw new OtlpDecodeError(
        error.segments.reverse().join('.'),
        error.problem,
      );
    }
    throw error;
  }
  return { spans };
}

function decodeResourceSpans(
  reader: Reader,
  end: number,
  resourceIndex: number,
  spans: OtlpSpan[],
): void {
  // The resource may follow its scope spans, so spans share this object
  // and see the attributes once the resource field is read.
  const resource: OtlpResource = { attributes: createAttributeMap() };
  let scopeIndex = 0;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_RESOURCE) {
      const resourceEnd = readMessageEnd(reader, end, 'resource');
      try {
        decodeResource(reader, resourceEnd, resource.attributes);
      } catch (error) {
        rethrowWithin(error, 'resource');
      }
    } else if (tag === TAG_SCOPE_SPANS) {
      const scopeEnd = readMessageEnd(reader, end, 'scopeSpans');
      try {
        decodeScopeSpans(
          reader,
          scopeEnd,
          resource,
          [resourceIndex, scopeIndex],
          spans,
        );
      } catch (error) {
        rethrowWithin(error, `scopeSpans[${scopeIndex}]`);
      }
      scopeIndex += 1;
    } else {
      skipField(reader, end, tag, RESOURCE_SPANS_FIELDS);
    }
  }
}

function decodeResource(
  reader: Reader,
  end: number,
  attributes: AttributeMap,
): void {
  let index = 0;
  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_RESOURCE_ATTRIBUTES) {
      decodeAttribute(reader, end, attributes, index);
      index += 1;
    } else {
      skipField(reader, end, tag, RESOURCE_FIELDS);
    }
  }
}

function decodeScopeSpans(
  reader: Reader,
  end: number,
  resource: OtlpResource,
  indexes: [number, number],
  spans: OtlpSpan[],
): void {
  const scope: OtlpScope = { name: '', version: '' };
  let spanIndex = 0;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_SPANS) {
      const spanEnd = readMessageEnd(reader, end, 'spans');
      try {
        spans.push(
          decodeSpan(reader, spanEnd, resource, scope, [
            indexes[0],
            indexes[1],
            spanIndex,
          ]),
        );
      } catch (error) {
        rethrowWithin(error, `spans[${spanIndex}]`);
      }
      spanIndex += 1;
    } else if (tag === TAG_SCOPE) {
      const scopeEnd = readMessageEnd(reader, end, 'scope');
      try {
        decodeScope(reader, scopeEnd, scope);
      } catch (error) {
        rethrowWithin(error, 'scope');
      }
    } else {
      skipField(reader, end, tag, SCOPE_SPANS_FIELDS);
    }
  }
}

function decodeScope(reader: Reader, end: number, scope: OtlpScope): void {
  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_SCOPE_NAME) {
      scope.name = readString(reader, end, 'name');
    } else if (tag === TAG_SCOPE_VERSION) {
      scope.version = readString(reader, end, 'version');
    } else {
      skipField(reader, end, tag, SCOPE_FIELDS);
    }
  }
}

function decodeSpan(
  reader: Reader,
  end: number,
  resource: OtlpResource,
  scope: OtlpScope,
  position: [number, number, number],
): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: createAttributeMap(),
    status: { code: 0, message: '' },
    resource,
    scope,
    position,
  };
  let attributeIndex = 0;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    switch (tag) {
      case TAG_ATTRIBUTES:
        decodeAttribute(reader, end, span.attributes, attributeIndex);
        attributeIndex += 1;
        break;
      case TAG_TRACE_ID:
        span.traceId = readId(reader, end, 'traceId', 16);
        break;
      case TAG_SPAN_ID:
        span.spanId = readId(reader, end, 'spanId', 8);
        break;
      case TAG_NAME:
        span.name = readString(reader, end, 'name');
        break;
      case TAG_KIND:
        span.kind = readVarint(reader, end, 'kind');
        break;
      case TAG_START_TIME:
        span.startTimeUnixNano = readFixed64(reader, end, 'startTimeUnixNano');
        break;
      case TAG_END_TIME:
        span.endTimeUnixNano = readFixed64(reader, end, 'endTimeUnixNano');
        break;
      case TAG_STATUS: {
        const statusEnd = readMessageEnd(reader, end, 'status');
        try {
          decodeStatus(reader, statusEnd, span.status);
        } catch (error) {
          rethrowWithin(error, 'status');
        }
        break;
      }
      default:
        skipField(reader, end, tag, SPAN_FIELDS);
    }
  }
  return span;
}

function decodeStatus(
  reader: Reader,
  end: number,
  status: OtlpSpan['status'],
): void {
  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_STATUS_MESSAGE) {
      status.message = readString(reader, end, 'message');
    } else if (tag === TAG_STATUS_CODE) {
      status.code = readVarint(reader, end, 'code');
    } else {
      skipField(reader, end, tag, STATUS_FIELDS);
    }
  }
}

/** Decodes one `attributes` KeyValue into `attributes`. */
function decodeAttribute(
  reader: Reader,
  end: number,
  attributes: AttributeMap,
  index: number,
): void {
  const keyValueEnd = readMessageEnd(reader, end, `attributes[${index}]`);
  try {
    decodeKeyValue(reader, keyValueEnd, attributes, 0);
  } catch (error) {
    rethrowWithin(error, `attributes[${index}]`);
  }
}

function decodeKeyValue(
  reader: Reader,
  end: number,
  target: AttributeMap,
  depth: number,
): void {
  let key = '';
  let value: AttributeValue | undefined;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag === TAG_KEY) {
      key = readString(reader, end, 'key');
    } else if (tag === TAG_VALUE) {
      const valueEnd = readMessageEnd(reader, end, 'value');
      try {
        value = decodeAnyValue(reader, valueEnd, depth);
      } catch (error) {
        rethrowWithin(error, 'value');
      }
    } else {
      skipField(reader, end, tag, KEY_VALUE_FIELDS);
    }
  }
  // An AnyValue with no field set is an empty value; the key is left out.
  if (value !== undefined) {
    target[key] = value;
  }
}

function decodeAnyValue(
  reader: Reader,
  end: number,
  depth: number,
): AttributeValue | undefined {
  let value: AttributeValue | undefined;

  // A oneof keeps the last field that is set.
  while (reader.pos < end) {
    const tag = readTag(reader, end);
    switch (tag) {
      case TAG_STRING_VALUE:
        value = readString(reader, end, 'stringValue');
        break;
      case TAG_INT_VALUE:
        value = readInt64(reader, end, 'intValue');
        break;
      case TAG_BOOL_VALUE:
        value = readVarint(reader, end, 'boolValue') !== 0;
        break;
      case TAG_DOUBLE_VALUE:
        value = readDouble(reader, end, 'doubleValue');
        break;
      case TAG_ARRAY_VALUE:
        value = decodeNested(reader, end, depth, 'arrayValue', decodeArray);
        break;
      case TAG_KVLIST_VALUE:
        value = decodeNested(reader, end, depth, 'kvlistValue', decodeKvlist);
        break;
      case TAG_BYTES_VALUE: {
        const length = readLength(reader, end, 'bytesValue');
        value = reader.bytes.slice(reader.pos, reader.pos + length);
        reader.pos += length;
        break;
      }
      default:
        skipField(reader, end, tag, ANY_VALUE_FIELDS);
    }
  }
  return value;
}

function decodeNested<T extends AttributeValue>(
  reader: Reader,
  end: number,
  depth: number,
  field: string,
  decode: (reader: Reader, end: number, depth: number) => T,
): T {
  if (depth >= MAX_ANY_VALUE_DEPTH) {
    throw new WireError(
      `values are nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
      field,
    );
  }
  const nestedEnd = readMessageEnd(reader, end, field);
  try {
    return decode(reader, nestedEnd, depth + 1);
  } catch (error) {
    return rethrowWithin(error, field);
  }
}

function decodeArray(
  reader: Reader,
  end: number,
  depth: number,
): AttributeValue[] {
  const values: AttributeValue[] = [];
  let index = 0;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag !== TAG_VALUES) {
      skipField(reader, end, tag, VALUES_FIELDS);
      continue;
    }
    const valueEnd = readMessageEnd(reader, end, `values[${index}]`);
    try {
      const value = decodeAnyValue(reader, valueEnd, depth);
      if (value !== undefined) {
        values.push(value);
      }
    } catch (error) {
      rethrowWithin(error, `values[${index}]`);
    }
    index += 1;
  }
  return values;
}

function decodeKvlist(
  reader: Reader,
  end: number,
  depth: number,
): AttributeMap {
  const values = createAttributeMap();
  let index = 0;

  while (reader.pos < end) {
    const tag = readTag(reader, end);
    if (tag !== TAG_VALUES) {
      skipField(reader, end, tag, VALUES_FIELDS);
      continue;
    }
    const keyValueEnd = readMessageEnd(reader, end, `values[${index}]`);
    try {
      decodeKeyValue(reader, keyValueEnd, values, depth);
    } catch (error) {
      rethrowWithin(error, `values[${index}]`);
    }
    index += 1;
  }
  return values;
}

/** Reads a field tag; field numbers run from 1 to 2^29 - 1. */
function readTag(reader: Reader, end: number): number {
  // Most tags of this schema fit in one byte.
  const first = reader.bytes[reader.pos];
  if (first < 0x80) {
    reader.pos += 1;
    if (first < 8) {
      throw new WireError(`invalid field number 0 at byte ${reader.pos - 1}`);
    }
    return first;
  }
  const tag = readVarint(reader, end);
  if (tag > 0xffffffff || tag < 8) {
    throw new WireError(`invalid field tag ${tag} at byte ${reader.pos}`);
  }
  return tag;
}

/** Reads a varint as a number; values above 2^53 lose precision. */
function readVarint(reader: Reader, end: number, field?: string): number {
  const bytes = reader.bytes;
  let result = 0;
  let multiplier = 1;

  for (let index = 0; index < 10; index++) {
    if (reader.pos >= end) {
      throw new WireError('truncated varint at the end of the message', field);
    }
    const byte = bytes[reader.pos++];
    result += (byte & 0x7f) * multiplier;
    if (byte < 0x80) {
      return result;
    }
    multiplier *= 128;
  }
  throw new WireError('varint is longer than 10 bytes', field);
}

/**
 * Reads an int64 varint: a number when it is a safe integer, else a
 * bigint. Negative values take 10 bytes (two's complement).
 */
function readInt64(
  reader: Reader,
  end: number,
  field: string,
): number | bigint {
  const start = reader.pos;
  const value = readVarint(reader, end, field);
  // Seven 7-bit groups hold at most 49 bits, so the number is exact.
  if (reader.pos - start <= 7) {
    return value;
  }

  let big = 0n;
  for (let index = reader.pos - 1; index >= start; index--) {
    big = (big << 7n) | BigInt(reader.bytes[index] & 0x7f);
  }
  const signed = BigInt.asIntN(64, big);
  const number = Number(signed);
  return Number.isSafeInteger(number) ? number : signed;
}

function readFixed64(reader: Reader, end: number, field: string): bigint {
  checkRemaining(reader, end, 8, field);
  const value = reader.view.getBigUint64(reader.pos, true);
  reader.pos += 8;
  return value;
}

function readDouble(reader: Reader, end: number, field: string): number {
  checkRemaining(reader, end, 8, field);
  const value = reader.view.getFloat64(reader.pos, true);
  reader.pos += 8;
  return value;
}

function readLength(reader: Reader, end: number, field: string): number {
  const length = readVarint(reader, end, field);
  if (length > end - reader.pos) {
    throw new WireError(
      `length ${length} runs past the end of the message (${
        end - reader.pos
      } bytes left)`,
      field,
    );
  }
  return length;
}

/** Reads the length of an embedded message and returns its end offset. */
function readMessageEnd(reader: Reader, end: number, field: string): number {
  const length = readLength(reader, end, field);
  return reader.pos + length;
}

function readString(reader: Reader, end: number, field: string): string {
  const length = readLength(reader, end, field);
  const start = reader.pos;
  reader.pos += length;
  return reader.buffer.toString('utf8', start, reader.pos);
}

/** Reads a trace or span id as lowercase hex. */
function readId(
  reader: Reader,
  end: number,
  field: string,
  size: number,
): string {
  const length = readLength(reader, end, field);
  if (length > size) {
    throw new WireError(`id is ${length} bytes; expected ${size}`, field);
  }
  let hex = '';
  for (let index = reader.pos; index < reader.pos + length; index++) {
    hex += HEX_BYTES[reader.bytes[index]];
  }
  reader.pos += length;
  return hex;
}

function checkRemaining(
  reader: Reader,
  end: number,
  size: number,
  field?: string,
): void {
  if (end - reader.pos < size) {
    throw new WireError(
      `${size}-byte value runs past the end of the message (${
        end - reader.pos
      } bytes left)`,
      field,
    );
  }
}

/**
 * Skips a field that the message does not decode. A known field with
 * another wire type is an error, as are group and reserved wire types.
 */
function skipField(
  reader: Reader,
  end: number,
  tag: number,
  known: KnownFields,
): void {
  const fieldNumber = Math.floor(tag / 8);
  const wireType = tag % 8;
  const expected = known[fieldNumber];

  if (expected !== undefined) {
    throw new WireError(
      `wire type ${wireType} (${WIRE_NAMES[wireType] ?? 'invalid'}); expected ${
        expected[1]
      } (${WIRE_NAMES[expected[1]]})`,
      expected[0],
    );
  }

  switch (wireType) {
    case WIRE_VARINT:
      readVarint(reader, end, `field ${fieldNumber}`);
      return;
    case WIRE_FIXED64:
      checkRemaining(reader, end, 8, `field ${fieldNumber}`);
      reader.pos += 8;
      return;
    case WIRE_LENGTH: {
      // The length is read first: `pos += read()` would add to the old pos.
      const length = readLength(reader, end, `field ${fieldNumber}`);
      reader.pos += length;
      return;
    }
    case WIRE_FIXED32:
      checkRemaining(reader, end, 4, `field ${fieldNumber}`);
      reader.pos += 4;
      return;
    default:
      throw new WireError(
        `unsupported wire type ${wireType} (${
          WIRE_NAMES[wireType] ?? 'invalid'
        }) of field ${fieldNumber}`,
      );
  }
}
