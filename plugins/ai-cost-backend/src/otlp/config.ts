import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Settings of the OTLP/HTTP traces receiver, with defaults applied. */
export interface OtlpConfig {
  /** Largest request body in bytes, after gzip decompression. */
  maxBodyBytes: number;
  /** Seconds in the Retry-After header of 503 responses. */
  retryAfterSeconds: number;
}

/** Default body limit: 16 MiB after decompression. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export const DEFAULT_RETRY_AFTER_SECONDS = 5;

const MAX_BODY_BYTES_LIMIT = 256 * 1024 * 1024;

/** Reads `aiCost.otlp` of app-config. */
export function readOtlpConfig(config: Config): OtlpConfig {
  const otlp = config.getOptionalConfig('aiCost.otlp');
  const maxBodyBytes =
    otlp?.getOptionalNumber('maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  const retryAfterSeconds =
    otlp?.getOptionalNumber('retryAfterSeconds') ?? DEFAULT_RETRY_AFTER_SECONDS;

  if (
    !Number.isInteger(maxBodyBytes) ||
    maxBodyBytes < 1024 ||
    maxBodyBytes > MAX_BODY_BYTES_LIMIT
  ) {
    throw new InputError(
      `Invalid aiCost.otlp.maxBodyBytes ${maxBodyBytes}; use a whole number of bytes from 1024 to ${MAX_BODY_BYTES_LIMIT}`,
    );
  }
  if (
    !Number.isInteger(retryAfterSeconds) ||
    retryAfterSeconds < 1 ||
    retryAfterSeconds > 3600
  ) {
    throw new InputError(
      `Invalid aiCost.otlp.retryAfterSeconds ${retryAfterSeconds}; use a whole number of seconds from 1 to 3600`,
    );
  }
  return { maxBodyBytes, retryAfterSeconds };
}
