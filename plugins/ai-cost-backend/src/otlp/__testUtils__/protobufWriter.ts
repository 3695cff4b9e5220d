// Builders of protobuf wire-format bytes for hand-made and malformed
// messages. Each returns the bytes of one field: tag, then payload.

/** Encodes an unsigned integer as a varint; bigint for values past 2^53. */
export function varint(value: number | bigint): number[] {
  let rest = BigInt(value);
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

export function tag(fieldNumber: number, wireType: number): number[] {
  return varint((fieldNumber << 3) | wireType);
}

/** Encodes a length-delimited field: embedded message, string or bytes. */
export function message(fieldNumber: number, ...parts: number[][]): number[] {
  const payload = parts.flat();
  return [...tag(fieldNumber, 2), ...varint(payload.length), ...payload];
}

export function string(fieldNumber: number, value: string): number[] {
  return message(fieldNumber, [...Buffer.from(value, 'utf8')]);
}

export function varintField(
  fieldNumber: number,
  value: number | bigint,
): number[] {
  return [...tag(fieldNumber, 0), ...varint(value)];
}

/** Encodes an int64 field; negative values take 10 bytes (two's complement). */
export function int64Field(fieldNumber: number, value: bigint): number[] {
  return varintField(fieldNumber, BigInt.asUintN(64, value));
}

export function fixed64Field(fieldNumber: number, value: bigint): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return [...tag(fieldNumber, 1), ...bytes];
}

export function doubleField(fieldNumber: number, value: number): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...tag(fieldNumber, 1), ...bytes];
}

/** Encodes an attribute (KeyValue) with the given AnyValue fields. */
export function keyValue(key: string, ...anyValue: number[][]): number[] {
  return [...string(1, key), ...message(2, ...anyValue)];
}

/**
 * An ExportTraceServiceRequest with one resource, one scope and the
 * spans given as their field bytes.
 */
export function traceRequest(
  resourceAttributes: number[][],
  spans: number[][],
): Uint8Array {
  const resource = message(1, ...resourceAttributes.map(kv => message(1, kv)));
  const scopeSpans = message(
    2,
    message(1, string(1, 'test-scope'), string(2, '0.1.0')),
    ...spans.map(span => message(2, span)),
  );
  return Uint8Array.from(message(1, resource, scopeSpans));
}

/** Span fields with valid ids and times around the given attributes. */
export function spanFields(attributes: number[][]): number[] {
  return [
    ...message(1, [...Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex')]),
    ...message(2, [...Buffer.from('b7ad6b7169203331', 'hex')]),
    ...string(5, 'chat gpt-4o'),
    ...varintField(6, 3),
    ...fixed64Field(7, 1_763_460_000_000_000_000n),
    ...fixed64Field(8, 1_763_460_001_500_000_000n),
    ...attributes.flatMap(kv => message(9, kv)),
  ];
}
