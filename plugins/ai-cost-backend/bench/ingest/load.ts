import http from 'node:http';
import {
  OTLP_CONTENT_TYPES,
  OtlpEncoding,
} from '../../src/otlp/exportResponse';
import { EncodedRequest } from './spans';
import { INGEST_TOKEN } from './server';

/** Outcome of posting a set of export requests. */
export interface LoadResult {
  spans: number;
  millis: number;
}

/** Response of one export request. */
interface ExportResponse {
  status: number;
  body: Buffer;
}

/**
 * Sends one OTLP/HTTP export request and returns its status and body.
 * Rejects on a network error only.
 */
export function postExport(
  agent: http.Agent,
  url: URL,
  encoding: OtlpEncoding,
  body: Buffer,
  token = INGEST_TOKEN,
): Promise<ExportResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': OTLP_CONTENT_TYPES[encoding],
          'content-length': body.length,
          authorization: `Bearer ${token}`,
        },
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Checks that the receiver accepted every span: status 200 and an
 * ExportTraceServiceResponse without `partialSuccess`, which is `{}` in
 * JSON and empty in protobuf.
 */
export function checkAccepted(
  encoding: OtlpEncoding,
  response: ExportResponse,
): void {
  const text = response.body.toString('utf8');
  const empty =
    encoding === 'json' ? text === '{}' : response.body.length === 0;
  if (response.status !== 200 || !empty) {
    throw new Error(
      `The receiver responded ${response.status} with ${JSON.stringify(
        text.slice(0, 500),
      )}; every generated span must be accepted`,
    );
  }
}

/**
 * Posts the requests in order through `clients` concurrent keep-alive
 * connections, each sending its next request when the previous response
 * arrives, and returns the wall time from the first send to the last
 * response.
 */
export async function postAll(options: {
  baseUrl: string;
  encoding: OtlpEncoding;
  requests: EncodedRequest[];
  clients: number;
}): Promise<LoadResult> {
  const { encoding, requests, clients } = options;
  const url = new URL('/api/ai-cost/v1/traces', options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  let spans = 0;

  const client = async () => {
    while (next < requests.length) {
      const request = requests[next];
      next += 1;
      checkAccepted(
        encoding,
        await postExport(agent, url, encoding, request.body),
      );
      spans += request.spans;
    }
  };

  const started = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    agent.destroy();
  }
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  return { spans, millis };
}
