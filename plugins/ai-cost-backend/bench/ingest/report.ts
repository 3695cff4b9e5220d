import { OtlpEncoding } from '../../src/otlp/exportResponse';
import { BenchDatabaseKind } from './databases';
import { IngestBenchOptions, describeFlags } from './options';
import { MAX_IN_FLIGHT, SoakResult } from './soak';

/** Floor of the receiver with OTLP/JSON on SQLite, in spans per second. */
export const SQLITE_JSON_FLOOR = 20_000;
/** Floor of every cell: sustained rate ÷ ceiling rate. */
export const CEILING_RATIO_FLOOR = 0.5;
export const CSV_FLOOR_SECONDS = 60;
/** Floor of the soak's RSS growth, in bytes (100 MB). */
export const RSS_GROWTH_FLOOR = 100_000_000;

/** Measurements of one encoding on one database. */
export interface ReceiverCell {
  database: BenchDatabaseKind;
  encoding: OtlpEncoding;
  spans: number;
  /** Mean body size of the measured requests. */
  requestBytes: number;
  sustainedMillis: number;
  ceilingMillis: number;
  /** One-minute load average before the measured requests. */
  loadAverage: number;
}

export interface CsvCell {
  database: BenchDatabaseKind;
  rows: number;
  millis: number;
  loadAverage: number;
}

const DATABASE_NAMES: Record<BenchDatabaseKind, string> = {
  sqlite: 'SQLite (in memory)',
  postgres: 'PostgreSQL',
};

const ENCODING_NAMES: Record<OtlpEncoding, string> = {
  json: 'OTLP/HTTP JSON',
  protobuf: 'OTLP/HTTP protobuf',
};

function perSecond(count: number, millis: number): number {
  return Math.round(count / (millis / 1000));
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function verdict(passed: boolean): string {
  return passed ? 'PASS' : 'FAIL';
}

/** Checks the floors of a receiver cell and describes the ones that apply. */
function receiverFloors(cell: ReceiverCell): {
  passed: boolean;
  text: string;
} {
  const sustained = perSecond(cell.spans, cell.sustainedMillis);
  const ratio = cell.ceilingMillis / cell.sustainedMillis;
  const checks = [
    {
      passed: ratio >= CEILING_RATIO_FLOOR,
      text: `≥ ${CEILING_RATIO_FLOOR * 100} % of ceiling`,
    },
  ];
  if (cell.database === 'sqlite' && cell.encoding === 'json') {
    checks.push({
      passed: sustained >= SQLITE_JSON_FLOOR,
      text: `≥ ${formatNumber(SQLITE_JSON_FLOOR)} spans/s`,
    });
  }
  return {
    passed: checks.every(check => check.passed),
    text: checks
      .map(check => `${verdict(check.passed)} ${check.text}`)
      .join(', '),
  };
}

/** Formats the console line of a receiver cell. */
export function formatSummary(cell: ReceiverCell): string {
  const sustained = perSecond(cell.spans, cell.sustainedMillis);
  const ceiling = perSecond(cell.spans, cell.ceilingMillis);
  return `${ENCODING_NAMES[cell.encoding]} on ${
    DATABASE_NAMES[cell.database]
  }: ${formatNumber(sustained)} spans/s sustained, ceiling ${formatNumber(
    ceiling,
  )} spans/s, ratio ${(sustained / ceiling).toFixed(2)}; ${
    receiverFloors(cell).text
  }`;
}

function receiverSection(
  options: IngestBenchOptions,
  cells: ReceiverCell[],
): string[] {
  if (cells.length === 0) {
    return [];
  }
  return [
    '### OTLP/HTTP receiver',
    '',
    `${options.clients} keep-alive connections post pre-encoded export ` +
      `requests of ${formatNumber(options.spansPerRequest)} spans to ` +
      '`POST /api/ai-cost/v1/traces` on an in-process express app on ' +
      "127.0.0.1. The app has the plugin's OTLP router with a " +
      'static-token check and an allow-all permission policy, the real ' +
      '`UsageIngestor`, a `PriceBook` of the 5 models used (list prices of ' +
      'app-config.yaml) and `DatabaseUsageStore`. Each cell gets a new ' +
      "database through Backstage's `DatabaseManager`. The " +
      '`EntityResolver` reads 8 `service.name` selectors from a fixed ' +
      'list, so no catalog runs. Every span is a unique GenAI chat span ' +
      'encoded by `@opentelemetry/otlp-transformer`, with its own trace ' +
      'id, provider, request and response model, input, output and ' +
      'cache-read tokens, task id, outcome and query complexity, from 8 ' +
      `services. ${formatNumber(options.warmupSpans)} spans warm up each ` +
      `cell. Then ${formatNumber(options.spans)} spans are timed from the ` +
      'first request to the last response, and the run checks that each ' +
      'span is stored, priced and allocated.',
    '',
    'The ceiling of a cell decodes the same request bytes with the ' +
      "receiver's decoder. It then inserts the rows that `UsageIngestor` " +
      'built for them with knex `insert`, 500 rows per statement and one ' +
      'transaction per request, into an empty copy of ' +
      '`ai_cost_usage_records` with the same indexes, on one connection. ' +
      'It has no HTTP, pricing, entity matching, duplicate check or hourly ' +
      'rollups. The store itself does not insert through knex: it uses ' +
      'prepared better-sqlite3 statements on SQLite and one array per ' +
      'column on PostgreSQL, so the receiver can beat this ceiling.',
    '',
    '| encoding | database | request size | sustained spans/s | ceiling spans/s | sustained ÷ ceiling | load avg | floors |',
    '|---|---|---|---|---|---|---|---|',
    ...cells.map(cell => {
      const sustained = perSecond(cell.spans, cell.sustainedMillis);
      const ceiling = perSecond(cell.spans, cell.ceilingMillis);
      return `| ${ENCODING_NAMES[cell.encoding]} | ${
        DATABASE_NAMES[cell.database]
      } | ${(cell.requestBytes / 1024).toFixed(0)} KiB | ${formatNumber(
        sustained,
      )} | ${formatNumber(ceiling)} | ${(sustained / ceiling).toFixed(
        2,
      )} | ${cell.loadAverage.toFixed(2)} | ${receiverFloors(cell).text} |`;
    }),
    '',
  ];
}

function csvSection(cells: CsvCell[]): string[] {
  if (cells.length === 0) {
    return [];
  }
  return [
    '### CSV import',
    '',
    'A generated file in the normalised CSV format (docs/usage-import.md, ' +
      'with requestId, taskId and operation) goes through ' +
      '`node plugins/ai-cost-backend/bin/ai-cost import <file>` to ' +
      '`POST /api/ai-cost/usage` of the same in-process app, in the ' +
      "CLI's default chunks of 5,000 lines, one request at a time. The " +
      'time runs from starting the CLI to its exit.',
    '',
    '| database | rows | wall time | rows/s | load avg | floor |',
    '|---|---|---|---|---|---|',
    ...cells.map(
      cell =>
        `| ${DATABASE_NAMES[cell.database]} | ${formatNumber(cell.rows)} | ${(
          cell.millis / 1000
        ).toFixed(1)} s | ${formatNumber(
          perSecond(cell.rows, cell.millis),
        )} | ${cell.loadAverage.toFixed(2)} | ${verdict(
          cell.millis < CSV_FLOOR_SECONDS * 1000,
        )} < ${CSV_FLOOR_SECONDS} s |`,
    ),
    '',
  ];
}

function soakSection(
  options: IngestBenchOptions,
  soak: SoakResult | undefined,
): string[] {
  if (!soak) {
    return ['### Memory soak', '', 'Not run (`--soak-minutes 0`).', ''];
  }
  const growth = soak.rssEnd - soak.rssAfterWarmup;
  const database =
    soak.database === 'postgres'
      ? 'a scratch PostgreSQL database (one schema per plugin)'
      : 'in-memory SQLite, whose stored rows count in the RSS';
  return [
    '### Memory soak',
    '',
    'The real backend (packages/backend, started as `backstage-cli ' +
      'package start` starts it but without its file watcher) runs with ' +
      `app-config.yaml, demo data disabled and ${database}. Once ` +
      '/api/ai-cost/health responds, OTLP/HTTP protobuf requests of ' +
      `${formatNumber(options.soakSpansPerRequest)} unique spans go to ` +
      `it at ${formatNumber(options.soakRate)} spans/s with the static ` +
      `token: ${options.soakWarmupSeconds} s of warm-up, then ` +
      `${options.soakMinutes} min. VmRSS of the backend process and its ` +
      'descendants is read from /proc every 10 s. Stored spans are the ' +
      'change of the request count of `GET /api/ai-cost/allocation`.',
    '',
    '| RSS after warm-up | RSS at end | max RSS | growth | spans accepted | spans stored | floor |',
    '|---|---|---|---|---|---|---|',
    `| ${megabytes(soak.rssAfterWarmup)} | ${megabytes(
      soak.rssEnd,
    )} | ${megabytes(soak.rssMax)} | ${megabytes(growth)} | ${formatNumber(
      soak.spansAccepted,
    )} | ${formatNumber(soak.spansStored)} | ${verdict(
      growth < RSS_GROWTH_FLOOR,
    )} growth < ${megabytes(RSS_GROWTH_FLOOR)} |`,
    '',
    `Requests that failed: ${soak.failures}${
      soak.firstFailure ? ` (first: ${soak.firstFailure})` : ''
    }; send ticks skipped because ${MAX_IN_FLIGHT} requests were in flight: ${
      soak.skippedTicks
    }.`,
    '',
  ];
}

/** Checks that every measured figure meets its floor. */
function allPassed(
  receiver: ReceiverCell[],
  csv: CsvCell[],
  soak: SoakResult | undefined,
): boolean {
  return (
    receiver.every(cell => receiverFloors(cell).passed) &&
    csv.every(cell => cell.millis < CSV_FLOOR_SECONDS * 1000) &&
    (!soak ||
      (soak.rssEnd - soak.rssAfterWarmup < RSS_GROWTH_FLOOR &&
        soak.failures === 0 &&
        soak.spansStored === soak.spansAccepted))
  );
}

/** Formats the docs/benchmarks.md section of a run and checks the floors. */
export function formatReport(run: {
  options: IngestBenchOptions;
  machine: string;
  loadAverage: number[];
  receiver: ReceiverCell[];
  csv: CsvCell[];
  soak?: SoakResult;
}): { markdown: string; passed: boolean } {
  const passed = allPassed(run.receiver, run.csv, run.soak);
  const markdown = [
    '## Ingest (`yarn bench:ingest`)',
    '',
    'Script: plugins/ai-cost-backend/bench/ingest.ts, flags: ' +
      `${describeFlags(run.options)}. All figures are measured in one ` +
      'run on this machine, which other processes shared; the load ' +
      'average of each cell is given beside it.',
    '',
    `Machine: ${
      run.machine
    }. Load average (1, 5, 15 min) at the end: ${run.loadAverage
      .map(value => value.toFixed(2))
      .join(', ')}.`,
    '',
    ...receiverSection(run.options, run.receiver),
    ...csvSection(run.csv),
    ...soakSection(run.options, run.soak),
    `All floors: ${verdict(passed)}.`,
  ].join('\n');
  return { markdown, passed };
}
