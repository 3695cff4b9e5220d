import { ForwardedError, InputError } from '@backstage/errors';
import { readFile, stat } from 'node:fs/promises';
import { loadGenaiPrices } from './genaiPrices';
import { loadLiteLlmPrices } from './litellm';
import { LoadedPrices, PriceSourceFormat } from './types';

/** Location of a price sheet: a file path or an http(s) URL. */
export interface PriceSourceLocation {
  format: PriceSourceFormat;
  file?: string;
  url?: string;
  /** Start date of a LiteLLM sheet's prices; see loadLiteLlmPrices. */
  effectiveFrom?: string;
}

/** Limits of reading a price sheet. */
export interface PriceSourceLimits {
  /** Maximum time of a URL request in milliseconds. Default: 30,000. */
  timeoutMs?: number;
  /** Maximum size of the sheet in bytes. Default: 20 MiB. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * Reads a LiteLLM or genai-prices sheet from a file or an http(s) URL and
 * converts it to price sheet entries, with the loader's counts.
 *
 * Throws an InputError for a source with neither or both of `file` and
 * `url`, an unsupported URL scheme, a sheet above `maxBytes` or a body
 * that is not JSON. Throws a ForwardedError naming the file or URL when
 * reading fails or the request times out.
 */
export async function loadPriceSource(
  source: PriceSourceLocation,
  limits: PriceSourceLimits = {},
): Promise<LoadedPrices> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const text = await readSheet(source, {
    timeoutMs: limits.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes,
  });
  const where = source.file ?? source.url;

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `Invalid price sheet ${where}: not JSON (${(error as Error).message})`,
    );
  }

  if (source.format === 'litellm') {
    return loadLiteLlmPrices(json, {
      effectiveFrom: source.effectiveFrom,
      source: `LiteLLM sheet ${where}`,
    });
  }
  return loadGenaiPrices(json, { source: `genai-prices data ${where}` });
}

async function readSheet(
  source: PriceSourceLocation,
  limits: Required<PriceSourceLimits>,
): Promise<string> {
  if ((source.file === undefined) === (source.url === undefined)) {
    throw new InputError(
      'Invalid price source: set exactly one of file and url',
    );
  }
  if (source.file !== undefined) {
    return readSheetFile(source.file, limits.maxBytes);
  }
  return fetchSheet(source.url!, limits);
}

async function readSheetFile(path: string, maxBytes: number): Promise<string> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes) {
      throw new InputError(
        `Price sheet ${path} has ${size} bytes, more than the maximum of ${maxBytes}`,
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) {
      throw error;
    }
    throw new ForwardedError(`Reading price sheet ${path} failed`, error);
  }
}

/**
 * Fetches a sheet with global fetch. The size limit is checked against
 * Content-Length and again while the body streams in, because a server
 * may send no length or a wrong one.
 */
async function fetchSheet(
  url: string,
  limits: Required<PriceSourceLimits>,
): Promise<string> {
  const parsed = parseUrl(url);
  const signal = AbortSignal.timeout(limits.timeoutMs);

  try {
    const response = await fetch(parsed, { signal });
    if (!response.ok) {
      throw new ForwardedError(
        `Fetching price sheet ${url} failed`,
        new Error(`HTTP ${response.status} ${response.statusText}`),
      );
    }

    const length = Number(response.headers.get('content-length'));
    if (length > limits.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(url, limits.maxBytes);
    }
    return await readBody(response, url, limits.maxBytes);
  } catch (error) {
    if (error instanceof InputError || error instanceof ForwardedError) {
      throw error;
    }
    if ((error as Error).name === 'TimeoutError') {
      throw new ForwardedError(
        `Fetching price sheet ${url} timed out after ${limits.timeoutMs} ms`,
        error,
      );
    }
    throw new ForwardedError(`Fetching price sheet ${url} failed`, error);
  }
}

async function readBody(
  response: Response,
  url: string,
  maxBytes: number,
): Promise<string> {
  if (!response.body) {
    return '';
  }

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`Invalid price source URL ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(
      `Invalid price source URL ${url}: use an http or https URL`,
    );
  }
  return parsed;
}

function tooLarge(url: string, maxBytes: number): InputError {
  return new InputError(
    `Price sheet ${url} is larger than the maximum of ${maxBytes} bytes`,
  );
}
