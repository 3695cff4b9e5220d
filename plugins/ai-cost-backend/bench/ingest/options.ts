import { BenchDatabaseKind } from './databases';
import { OtlpEncoding } from '../../src/otlp/exportResponse';

/** Settings of one `yarn bench:ingest` run. */
export interface IngestBenchOptions {
  databases: BenchDatabaseKind[];
  encodings: OtlpEncoding[];
  /** Spans measured per cell, after the warm-up. */
  spans: number;
  warmupSpans: number;
  spansPerRequest: number;
  clients: number;
  /** Rows of the CSV import; 0 skips it. */
  csvRows: number;
  csvDatabases: BenchDatabaseKind[];
  /** Minutes of the memory soak; 0 skips it. */
  soakMinutes: number;
  soakWarmupSeconds: number;
  /** Spans per second sent during the soak. */
  soakRate: number;
  soakSpansPerRequest: number;
  soakDatabase: BenchDatabaseKind;
  backendPort: number;
  postgres: string;
  write: boolean;
}

export const DEFAULT_OPTIONS: IngestBenchOptions = {
  databases: ['sqlite', 'postgres'],
  encodings: ['json', 'protobuf'],
  spans: 200_000,
  warmupSpans: 20_000,
  spansPerRequest: 1_000,
  clients: 4,
  csvRows: 1_000_000,
  csvDatabases: ['sqlite'],
  soakMinutes: 10,
  soakWarmupSeconds: 30,
  soakRate: 1_000,
  soakSpansPerRequest: 250,
  soakDatabase: 'postgres',
  backendPort: 7007,
  postgres: 'postgresql://postgres@127.0.0.1:5432',
  write: true,
};

export const HELP = `Usage: yarn bench:ingest [options]

Measures the OTLP/HTTP receiver and the CSV import of the ai-cost backend
plugin and writes the results to docs/benchmarks.md.

Options:
  --databases <list>          sqlite,postgres (default: both)
  --encodings <list>          json,protobuf (default: both)
  --spans <n>                 spans measured per receiver cell, after the
                              warm-up (default: ${DEFAULT_OPTIONS.spans})
  --warmup-spans <n>          spans sent before measuring (default: ${DEFAULT_OPTIONS.warmupSpans})
  --spans-per-request <n>     spans per export request (default: ${DEFAULT_OPTIONS.spansPerRequest})
  --clients <n>               concurrent keep-alive connections (default: ${DEFAULT_OPTIONS.clients})
  --csv-rows <n>              rows of the CSV import; 0 skips it (default: ${DEFAULT_OPTIONS.csvRows})
  --csv-databases <list>      databases of the CSV import (default: sqlite)
  --soak-minutes <n>          minutes of the backend memory soak; 0 skips
                              it (default: ${DEFAULT_OPTIONS.soakMinutes})
  --soak-warmup-seconds <n>   load before the first memory sample (default: ${DEFAULT_OPTIONS.soakWarmupSeconds})
  --soak-rate <n>             spans per second sent in the soak (default: ${DEFAULT_OPTIONS.soakRate})
  --soak-spans-per-request <n>
                              spans per soak request (default: ${DEFAULT_OPTIONS.soakSpansPerRequest})
  --soak-database <name>      postgres (scratch database) or sqlite (in
                              memory) for the soak backend (default: ${DEFAULT_OPTIONS.soakDatabase})
  --backend-port <n>          port of the soak backend on 127.0.0.1 (default: ${DEFAULT_OPTIONS.backendPort})
  --postgres <url>            PostgreSQL server on the loopback interface
                              (default: ${DEFAULT_OPTIONS.postgres})
  --no-write                  print the results without writing docs/benchmarks.md
  --help                      print this text
`;

function readCount(flag: string, value: string, minimum: number): number {
  const count = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(count) || count < minimum) {
    throw new Error(
      `Invalid ${flag} ${JSON.stringify(
        value,
      )}; use a whole number of at least ${minimum}`,
    );
  }
  return count;
}

function readList<T extends string>(
  flag: string,
  value: string,
  choices: readonly T[],
): T[] {
  const items = value.split(',').map(item => item.trim());
  for (const item of items) {
    if (!(choices as readonly string[]).includes(item)) {
      throw new Error(
        `Invalid ${flag} entry ${JSON.stringify(item)}; use ${choices.join(
          ' or ',
        )}, separated by commas`,
      );
    }
  }
  return items as T[];
}

const DATABASES = ['sqlite', 'postgres'] as const;

/** Parses the command line; returns undefined for --help. */
export function parseOptions(argv: string[]): IngestBenchOptions | undefined {
  const options = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      return undefined;
    }
    if (flag === '--no-write') {
      options.write = false;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) {
      throw new Error(`Missing value of ${flag}; see --help`);
    }
    i += 1;

    switch (flag) {
      case '--databases':
        options.databases = readList(flag, value, DATABASES);
        break;
      case '--encodings':
        options.encodings = readList(flag, value, ['json', 'protobuf']);
        break;
      case '--spans':
        options.spans = readCount(flag, value, 1);
        break;
      case '--warmup-spans':
        options.warmupSpans = readCount(flag, value, 0);
        break;
      case '--spans-per-request':
        options.spansPerRequest = readCount(flag, value, 1);
        break;
      case '--clients':
        options.clients = readCount(flag, value, 1);
        break;
      case '--csv-rows':
        options.csvRows = readCount(flag, value, 0);
        break;
      case '--csv-databases':
        options.csvDatabases = readList(flag, value, DATABASES);
        break;
      case '--soak-minutes':
        options.soakMinutes = readCount(flag, value, 0);
        break;
      case '--soak-warmup-seconds':
        options.soakWarmupSeconds = readCount(flag, value, 0);
        break;
      case '--soak-rate':
        options.soakRate = readCount(flag, value, 1);
        break;
      case '--soak-spans-per-request':
        options.soakSpansPerRequest = readCount(flag, value, 1);
        break;
      case '--soak-database':
        [options.soakDatabase] = readList(flag, value, DATABASES);
        break;
      case '--backend-port':
        options.backendPort = readCount(flag, value, 1);
        break;
      case '--postgres':
        options.postgres = value;
        break;
      default:
        throw new Error(`Unknown option ${flag}; see --help`);
    }
  }
  if (process.env.BENCH_WRITE === '0') {
    options.write = false;
  }
  return options;
}

/** Formats the options that differ from the defaults, for the report. */
export function describeFlags(options: IngestBenchOptions): string {
  const flags: string[] = [];
  for (const key of Object.keys(DEFAULT_OPTIONS) as Array<
    keyof IngestBenchOptions
  >) {
    const value = options[key];
    const fallback = DEFAULT_OPTIONS[key];
    // The server URL may carry a password, so the report leaves it out.
    if (
      key === 'write' ||
      key === 'postgres' ||
      String(value) === String(fallback)
    ) {
      continue;
    }
    const flag = `--${key.replace(
      /[A-Z]/g,
      letter => `-${letter.toLowerCase()}`,
    )}`;
    flags.push(`${flag} ${Array.isArray(value) ? value.join(',') : value}`);
  }
  return flags.length > 0 ? flags.join(' ') : '(defaults)';
}
