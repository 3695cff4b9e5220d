import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration } from '@backstage/types';
import { PriceSourceLocation } from './loadPriceSource';
import { PRICE_SOURCE_FORMATS, PriceSourceFormat } from './types';

/** A configured price sheet, loaded at start-up and on a schedule. */
export interface PriceSourceConfig extends PriceSourceLocation {
  /** Unique name; the scheduled task and the audit log's actor carry it. */
  name: string;
  /** Time between loads. Default: 24 hours. */
  refresh: HumanDuration;
}

const DEFAULT_REFRESH: HumanDuration = { hours: 24 };
const NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Reads `aiCost.priceSources`. Throws an InputError naming the source for
 * a missing or repeated name, an unknown format, neither or both of `file`
 * and `url`, or an invalid `refresh` duration or `effectiveFrom` date. A
 * second source of the same format is rejected too, because both would
 * write prices of one source kind and each load would retire the other's.
 */
export function readPriceSources(config: Config): PriceSourceConfig[] {
  const entries = config.getOptionalConfigArray('aiCost.priceSources') ?? [];
  const sources: PriceSourceConfig[] = [];

  for (const [index, entry] of entries.entries()) {
    const name = entry.getString('name');
    const where = `aiCost.priceSources[${index}] (${name})`;

    if (!NAME_PATTERN.test(name)) {
      throw new InputError(
        `Invalid ${where}: name must be letters, digits, - and _, such as litellm-main`,
      );
    }
    if (sources.some(source => source.name === name)) {
      throw new InputError(`Invalid ${where}: the name is used twice`);
    }

    const format = entry.getString('format');
    if (!isFormat(format)) {
      throw new InputError(
        `Invalid ${where}: format ${JSON.stringify(
          format,
        )} is unknown; use ${PRICE_SOURCE_FORMATS.join(' or ')}`,
      );
    }
    const sameFormat = sources.find(source => source.format === format);
    if (sameFormat) {
      throw new InputError(
        `Invalid ${where}: source ${sameFormat.name} already loads format ${format}; configure one source per format`,
      );
    }

    const file = entry.getOptionalString('file');
    const url = entry.getOptionalString('url');
    if ((file === undefined) === (url === undefined)) {
      throw new InputError(`Invalid ${where}: set exactly one of file and url`);
    }

    const effectiveFrom = entry.getOptionalString('effectiveFrom');
    if (
      effectiveFrom !== undefined &&
      Number.isNaN(Date.parse(effectiveFrom))
    ) {
      throw new InputError(
        `Invalid ${where}: effectiveFrom ${JSON.stringify(
          effectiveFrom,
        )} is not an ISO 8601 date such as 2026-07-24`,
      );
    }

    sources.push({
      name,
      format,
      file,
      url,
      effectiveFrom,
      refresh: readRefresh(entry, where),
    });
  }
  return sources;
}

function readRefresh(entry: Config, where: string): HumanDuration {
  if (!entry.has('refresh')) {
    return DEFAULT_REFRESH;
  }
  try {
    return readDurationFromConfig(entry, { key: 'refresh' });
  } catch (error) {
    throw new InputError(
      `Invalid ${where}: refresh is not a duration such as PT24H or { hours: 24 }: ${
        (error as Error).message
      }`,
    );
  }
}

function isFormat(format: string): format is PriceSourceFormat {
  return (PRICE_SOURCE_FORMATS as readonly string[]).includes(format);
}
