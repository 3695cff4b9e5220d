/**
 * Value of an OTLP attribute (`AnyValue`). Integers are numbers when they
 * fit in a safe integer and bigints otherwise; `kvlistValue` is an
 * AttributeMap and `bytesValue` a Uint8Array.
 */
export type AttributeValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | AttributeValue[]
  | AttributeMap;

/**
 * Attributes by key, as an object without a prototype, so that keys such
 * as `__proto__` stay ordinary keys. A repeated key keeps its last value.
 */
export interface AttributeMap {
  [key: string]: AttributeValue;
}

/** Resource of a group of spans, shared by the spans that reference it. */
export interface OtlpResource {
  attributes: AttributeMap;
}

/** Instrumentation scope of a group of spans. */
export interface OtlpScope {
  name: string;
  version: string;
}

/** One span of an export request, flattened with its resource and scope. */
export interface OtlpSpan {
  /** Lowercase hex; 32 digits in a valid span. */
  traceId: string;
  /** Lowercase hex; 16 digits in a valid span. */
  spanId: string;
  name: string;
  /** SpanKind enum value. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttributeMap;
  /** StatusCode enum value (0 unset, 1 ok, 2 error) and message. */
  status: { code: number; message: string };
  resource: OtlpResource;
  scope: OtlpScope;
  /** Position in the request: indexes of resourceSpans, scopeSpans, spans. */
  position: [number, number, number];
}

/** Spans of one decoded `ExportTraceServiceRequest`, in request order. */
export interface TraceRequest {
  spans: OtlpSpan[];
}

/** Deepest nesting of `arrayValue` and `kvlistValue` inside one attribute. */
export const MAX_ANY_VALUE_DEPTH = 32;

/**
 * A request body that is not a valid `ExportTraceServiceRequest`. `path`
 * names the field, such as
 * `resourceSpans[0].scopeSpans[1].spans[3].attributes[2].value`.
 */
export class OtlpDecodeError extends Error {
  readonly name = 'OtlpDecodeError';

  constructor(readonly path: string, problem: string) {
    super(
      `Invalid ExportTraceServiceRequest at ${
        path || 'the top level'
      }: ${problem}`,
    );
  }
}

/** Formats the position of a span as a field path. */
export function spanPath(position: [number, number, number]): string {
  const [resource, scope, span] = position;
  return `resourceSpans[${resource}].scopeSpans[${scope}].spans[${span}]`;
}

/** Creates an attribute map without a prototype. */
export function createAttributeMap(): AttributeMap {
  return Object.create(null);
}
