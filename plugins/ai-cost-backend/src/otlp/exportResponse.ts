// Encoders of the OTLP/HTTP response bodies: ExportTraceServiceResponse
// (collector/trace/v1) for accepted requests and google.rpc.Status for
// failures, in the encoding of the request.

/** Body encoding of an OTLP/HTTP request and its response. */
export type OtlpEncoding = 'json' | 'protobuf';

/** Content type of each encoding. */
export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** Spans that the receiver rejected, for `partialSuccess`. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** gRPC status codes used in `google.rpc.Status` bodies. */
export const RPC_CODES = {
  invalidArgument: 3,
  resourceExhausted: 8,
  unavailable: 14,
} as const;

/**
 * Encodes an `ExportTraceServiceResponse`: empty when every span was
 * accepted, else with `partialSuccess`.
 */
export function encodeExportResponse(
  encoding: OtlpEncoding,
  partialSuccess?: PartialSuccess,
): Buffer {
  if (encoding === 'json') {
    const body = partialSuccess
      ? {
          partialSuccess: {
            // proto3 JSON writes int64 as a decimal string.
            rejectedSpans: String(partialSuccess.rejectedSpans),
            errorMessage: partialSuccess.errorMessage,
          },
        }
      : {};
    return Buffer.from(JSON.stringify(body));
  }

  if (!partialSuccess) {
    return Buffer.alloc(0);
  }
  const inner = Buffer.concat([
    varintField(1, partialSuccess.rejectedSpans),
    stringField(2, partialSuccess.errorMessage),
  ]);
  return lengthField(1, inner);
}

/** Encodes a `google.rpc.Status` with a gRPC code and a message. */
export function encodeStatus(
  encoding: OtlpEncoding,
  code: number,
  message: string,
): Buffer {
  if (encoding === 'json') {
    return Buffer.from(JSON.stringify({ code, message }));
  }
  return Buffer.concat([varintField(1, code), stringField(2, message)]);
}

function varintField(fieldNumber: number, value: number): Buffer {
  return Buffer.concat([varint(fieldNumber << 3), varint(value)]);
}

function stringField(fieldNumber: number, value: string): Buffer {
  return lengthField(fieldNumber, Buffer.from(value, 'utf8'));
}

function lengthField(fieldNumber: number, bytes: Buffer): Buffer {
  return Buffer.concat([
    varint((fieldNumber << 3) | 2),
    varint(bytes.length),
    bytes,
  ]);
}

/** Encodes a non-negative integer below 2^53 as a varint. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push(rest % 0x80 | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
