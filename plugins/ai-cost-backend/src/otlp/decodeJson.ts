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

// Decoder of the OTLP/JSON encoding of ExportTraceServiceRequest: the
// proto3 JSON mapping with lowerCamelCase field names, trace and span ids
// as hex strings, 64-bit integers as decimal strings or numbers and enums
// as integers. Unknown fields are ignored, as OTLP/JSON receivers must.

type JsonObject = Record<string, unknown>;

/**
 * Decodes the text of an OTLP/JSON `ExportTraceServiceRequest` into its
 * spans. Throws OtlpDecodeError naming the field path for malformed input.
 */
export function decodeTraceRequestJson(text: string): TraceRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(
      '',
      `body is not JSON (${(error as Error).message})`,
    );
  }

  const request = asObject(body, '');
  const spans: OtlpSpan[] = [];
  const resourceSpans = optionalArray(request.resourceSpans, 'resourceSpans');

  resourceSpans.forEach((item, resourceIndex) => {
    const path = `resourceSpans[${resourceIndex}]`;
    const group = asObject(item, path);
    const resource = decodeResource(group.resource, `${path}.resource`);
    const scopeSpans = optionalArray(group.scopeSpans, `${path}.scopeSpans`);

    scopeSpans.forEach((scopeItem, scopeIndex) => {
      const scopePath = `${path}.scopeSpans[${scopeIndex}]`;
      const scopeGroup = asObject(scopeItem, scopePath);
      const scope = decodeScope(scopeGroup.scope, `${scopePath}.scope`);
      const items = optionalArray(scopeGroup.spans, `${scopePath}.spans`);

      items.forEach((spanItem, spanIndex) => {
        spans.push(
          decodeSpan(
            spanItem,
            `${scopePath}.spans[${spanIndex}]`,
            resource,
            scope,
            [resourceIndex, scopeIndex, spanIndex],
          ),
        );
      });
    });
  });

  return { spans };
}

function decodeResource(value: unknown, path: string): OtlpResource {
  if (value === undefined || value === null) {
    return { attributes: createAttributeMap() };
  }
  const resource = asObject(value, path);
  return {
    attributes: decodeAttributes(resource.attributes, `${path}.attributes`, 0),
  };
}

function decodeScope(value: unknown, path: string): OtlpScope {
  if (value === undefined || value === null) {
    return { name: '', version: '' };
  }
  const scope = asObject(value, path);
  return {
    name: optionalString(scope.name, `${path}.name`),
    version: optionalString(scope.version, `${path}.version`),
  };
}

function decodeSpan(
  value: unknown,
  path: string,
  resource: OtlpResource,
  scope: OtlpScope,
  position: [number, number, number],
): OtlpSpan {
  const span = asObject(value, path);
  return {
    traceId: optionalString(span.traceId, `${path}.traceId`).toLowerCase(),
    spanId: optionalString(span.spanId, `${path}.spanId`).toLowerCase(),
    name: optionalString(span.name, `${path}.name`),
    kind: optionalEnum(span.kind, `${path}.kind`),
    startTimeUnixNano: optionalUint64(
      span.startTimeUnixNano,
      `${path}.startTimeUnixNano`,
    ),
    endTimeUnixNano: optionalUint64(
      span.endTimeUnixNano,
      `${path}.endTimeUnixNano`,
    ),
    attributes: decodeAttributes(span.attributes, `${path}.attributes`, 0),
    status: decodeStatus(span.status, `${path}.status`),
    resource,
    scope,
    position,
  };
}

function decodeStatus(value: unknown, path: string): OtlpSpan['status'] {
  if (value === undefined || value === null) {
    return { code: 0, message: '' };
  }
  const status = asObject(value, path);
  return {
    code: optionalEnum(status.code, `${path}.code`),
    message: optionalString(status.message, `${path}.message`),
  };
}

function decodeAttributes(
  value: unknown,
  path: string,
  depth: number,
): AttributeMap {
  const attributes = createAttributeMap();

  optionalArray(value, path).forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    const keyValue = asObject(item, itemPath);
    if (typeof keyValue.key !== 'string') {
      throw new OtlpDecodeError(
        `${itemPath}.key`,
        `${describe(keyValue.key)} is not a string`,
      );
    }
    const decoded = decodeAnyValue(keyValue.value, `${itemPath}.value`, depth);
    // An AnyValue with no field set is an empty value; the key is left out.
    if (decoded !== undefined) {
      attributes[keyValue.key] = decoded;
    }
  });
  return attributes;
}

function decodeAnyValue(
  value: unknown,
  path: string,
  depth: number,
): AttributeValue | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const anyValue = asObject(value, path);

  if (isSet(anyValue.stringValue)) {
    return requireString(anyValue.stringValue, `${path}.stringValue`);
  }
  if (isSet(anyValue.boolValue)) {
    if (typeof anyValue.boolValue !== 'boolean') {
      throw new OtlpDecodeError(
        `${path}.boolValue`,
        `${describe(anyValue.boolValue)} is not true or false`,
      );
    }
    return anyValue.boolValue;
  }
  if (isSet(anyValue.intValue)) {
    return decodeInt64(anyValue.intValue, `${path}.intValue`);
  }
  if (isSet(anyValue.doubleValue)) {
    return decodeDouble(anyValue.doubleValue, `${path}.doubleValue`);
  }
  if (isSet(anyValue.arrayValue)) {
    const arrayPath = `${path}.arrayValue`;
    checkDepth(depth, arrayPath);
    const array = asObject(anyValue.arrayValue, arrayPath);
    const values: AttributeValue[] = [];
    optionalArray(array.values, `${arrayPath}.values`).forEach(
      (item, index) => {
        const decoded = decodeAnyValue(
          item,
          `${arrayPath}.values[${index}]`,
          depth + 1,
        );
        if (decoded !== undefined) {
          values.push(decoded);
        }
      },
    );
    return values;
  }
  if (isSet(anyValue.kvlistValue)) {
    const listPath = `${path}.kvlistValue`;
    checkDepth(depth, listPath);
    const list = asObject(anyValue.kvlistValue, listPath);
    return decodeAttributes(list.values, `${listPath}.values`, depth + 1);
  }
  if (isSet(anyValue.bytesValue)) {
    const text = requireString(anyValue.bytesValue, `${path}.bytesValue`);
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
      throw new OtlpDecodeError(`${path}.bytesValue`, 'is not base64');
    }
    return new Uint8Array(Buffer.from(text, 'base64'));
  }
  return undefined;
}

/** proto3 JSON reads null as the field's default, so null is not set. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function checkDepth(depth: number, path: string): void {
  if (depth >= MAX_ANY_VALUE_DEPTH) {
    throw new OtlpDecodeError(
      path,
      `values are nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
    );
  }
}

const INT64_PATTERN = /^-?\d{1,19}$/;
const UINT64_PATTERN = /^\d{1,20}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function decodeInt64(value: unknown, path: string): number | bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return value;
  }
  if (typeof value === 'string' && INT64_PATTERN.test(value)) {
    const big = BigInt(value);
    if (big >= INT64_MIN && big <= INT64_MAX) {
      const number = Number(big);
      return Number.isSafeInteger(number) ? number : big;
    }
  }
  throw new OtlpDecodeError(
    path,
    `${describe(
      value,
    )} is not a 64-bit integer; send a decimal string such as "1024"`,
  );
}

function decodeDouble(value: unknown, path: string): number {
  if (typeof value === 'number') {
    return value;
  }
  // proto3 JSON writes the special values as strings.
  if (value === 'NaN') {
    return NaN;
  }
  if (value === 'Infinity') {
    return Infinity;
  }
  if (value === '-Infinity') {
    return -Infinity;
  }
  if (
    typeof value === 'string' &&
    value.trim() !== '' &&
    !Number.isNaN(Number(value))
  ) {
    return Number(value);
  }
  throw new OtlpDecodeError(path, `${describe(value)} is not a number`);
}

function optionalUint64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) {
    return 0n;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return BigInt(value);
  }
  if (typeof value === 'string' && UINT64_PATTERN.test(value)) {
    const big = BigInt(value);
    if (big <= UINT64_MAX) {
      return big;
    }
  }
  throw new OtlpDecodeError(
    path,
    `${describe(
      value,
    )} is not an unsigned 64-bit integer; send nanoseconds since the Unix epoch as a decimal string`,
  );
}

function optionalEnum(value: unknown, path: string): number {
  if (value === undefined || value === null) {
    return 0;
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  throw new OtlpDecodeError(
    path,
    `${describe(
      value,
    )} is not an enum number; OTLP/JSON encodes enums as integers`,
  );
}

function optionalString(value: unknown, path: string): string {
  if (value === undefined || value === null) {
    return '';
  }
  return requireString(value, path);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    throw new OtlpDecodeError(path, `${describe(value)} is not a string`);
  }
  return value;
}

function optionalArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new OtlpDecodeError(path, `${describe(value)} is not an array`);
  }
  return value;
}

function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OtlpDecodeError(path, `${describe(value)} is not an object`);
  }
  return value as JsonObject;
}

/** Describes a JSON value for an error message, cut to 40 characters. */
function describe(value: unknown): string {
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object' && value !== null) {
    return 'an object';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
