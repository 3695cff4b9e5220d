/*
 * Measures the OTLP/HTTP receiver over HTTP on 127.0.0.1 and compares it
 * with a ceiling measured in the same run: decoding the same bytes and
 * bulk-inserting the same rows with knex. It also times the CSV import
 * through the CLI and samples the resident memory of the real backend
 * under steady OTLP load. Run with `yarn bench:ingest`; `--help` lists
 * the flags.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OtlpEncoding } from '../src/otlp/exportResponse';
import { writeBenchmarkSection } from './benchReport';
import {
  createUsageCopy,
  decodeAndInsert,
  dropUsageCopy,
  rowsOfRequests,
} from './ingest/ceiling';
import { runCliImport, writeUsageCsv } from './ingest/csvImport';
import {
  BenchDatabase,
  BenchDatabaseKind,
  PostgresServer,
  createPostgresDatabase,
  createSqliteDatabase,
  parseLoopbackPostgres,
} from './ingest/databases';
import { postAll } from './ingest/load';
import { createConsoleLogger } from './ingest/logger';
import { describeIngestMachine } from './ingest/machine';
import { HELP, IngestBenchOptions, parseOptions } from './ingest/options';
import {
  CsvCell,
  ReceiverCell,
  formatReport,
  formatSummary,
} from './ingest/report';
import { countStored, startBenchServer } from './ingest/server';
import { checkPortFree, runSoak } from './ingest/soak';
import { SpanGenerator } from './ingest/spans';

const logger = createConsoleLogger('warn');

async function openDatabase(
  kind: BenchDatabaseKind,
  postgres: PostgresServer,
  label: string,
): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    return createSqliteDatabase(logger);
  }
  const name = `ai_cost_bench_${label}_${process.pid}_${Date.now()}`;
  return createPostgresDatabase(postgres, name, logger);
}

/** Checks that every span sent is stored, priced and allocated. */
function checkStored(
  label: string,
  expected: number,
  stored: { records: number; unpriced: number; unallocated: number },
): void {
  if (
    stored.records !== expected ||
    stored.unpriced !== 0 ||
    stored.unallocated !== 0
  ) {
    throw new Error(
      `${label}: expected ${expected} stored, priced and allocated records, found ${stored.records} stored, ${stored.unpriced} unpriced and ${stored.unallocated} unallocated`,
    );
  }
}

async function measureReceiver(
  options: IngestBenchOptions,
  kind: BenchDatabaseKind,
  encoding: OtlpEncoding,
  postgres: PostgresServer,
): Promise<ReceiverCell> {
  const label = `${encoding} on ${kind}`;
  const generator = new SpanGenerator();
  const warmup = generator.encodeMany(
    encoding,
    Math.ceil(options.warmupSpans / options.spansPerRequest),
    options.spansPerRequest,
  );
  const measured = generator.encodeMany(
    encoding,
    Math.ceil(options.spans / options.spansPerRequest),
    options.spansPerRequest,
  );
  const bytes = measured.reduce((sum, request) => sum + request.body.length, 0);
  const spansOf = (requests: typeof measured) =>
    requests.reduce((sum, request) => sum + request.spans, 0);

  const database = await openDatabase(kind, postgres, encoding);
  try {
    const server = await startBenchServer(database, logger);
    try {
      await postAll({
        baseUrl: server.url,
        encoding,
        requests: warmup,
        clients: options.clients,
      });
      const loadAverage = os.loadavg()[0];
      const sustained = await postAll({
        baseUrl: server.url,
        encoding,
        requests: measured,
        clients: options.clients,
      });
      checkStored(
        label,
        spansOf(warmup) + spansOf(measured),
        await countStored(server.knex),
      );

      const warmupRows = await rowsOfRequests(server, encoding, warmup);
      const measuredRows = await rowsOfRequests(server, encoding, measured);
      await createUsageCopy(server.knex);
      await decodeAndInsert(server.knex, encoding, warmup, warmupRows);
      const ceilingMillis = await decodeAndInsert(
        server.knex,
        encoding,
        measured,
        measuredRows,
      );
      await dropUsageCopy(server.knex);

      const cell: ReceiverCell = {
        database: kind,
        encoding,
        spans: sustained.spans,
        requestBytes: Math.round(bytes / measured.length),
        sustainedMillis: sustained.millis,
        ceilingMillis,
        loadAverage,
      };
      console.log(formatSummary(cell));
      return cell;
    } finally {
      await server.close();
    }
  } finally {
    await database.dispose();
  }
}

async function measureCsvImport(
  options: IngestBenchOptions,
  kind: BenchDatabaseKind,
  postgres: PostgresServer,
  file: string,
): Promise<CsvCell> {
  const database = await openDatabase(kind, postgres, 'csv');
  try {
    const server = await startBenchServer(database, logger);
    try {
      const loadAverage = os.loadavg()[0];
      const run = await runCliImport(file, server.url);
      checkStored(
        `CSV import on ${kind}`,
        options.csvRows,
        await countStored(server.knex),
      );
      const cell: CsvCell = {
        database: kind,
        rows: options.csvRows,
        millis: run.millis,
        loadAverage,
      };
      console.log(
        `CSV import on ${kind}: ${options.csvRows} rows in ${(
          run.millis / 1000
        ).toFixed(1)} s; ${run.output}`,
      );
      return cell;
    } finally {
      await server.close();
    }
  } finally {
    await database.dispose();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(HELP);
    return 0;
  }
  const postgres = parseLoopbackPostgres(options.postgres);
  const usesPostgres =
    options.databases.includes('postgres') ||
    (options.csvRows > 0 && options.csvDatabases.includes('postgres')) ||
    (options.soakMinutes > 0 && options.soakDatabase === 'postgres');
  const machine = await describeIngestMachine(
    usesPostgres ? postgres : undefined,
  );
  console.log(
    `Machine: ${machine}; load average ${os.loadavg()[0].toFixed(2)}`,
  );

  if (options.soakMinutes > 0) {
    // Fails before the receiver cells rather than after them.
    await checkPortFree(options.backendPort);
  }

  const receiver: ReceiverCell[] = [];
  for (const kind of options.databases) {
    for (const encoding of options.encodings) {
      receiver.push(await measureReceiver(options, kind, encoding, postgres));
    }
  }

  const csv: CsvCell[] = [];
  if (options.csvRows > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-cost-bench-csv-'));
    const file = path.join(dir, 'usage.csv');
    try {
      await writeUsageCsv(file, options.csvRows);
      for (const kind of options.csvDatabases) {
        csv.push(await measureCsvImport(options, kind, postgres, file));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const soak =
    options.soakMinutes > 0
      ? await runSoak({
          minutes: options.soakMinutes,
          warmupSeconds: options.soakWarmupSeconds,
          rate: options.soakRate,
          spansPerRequest: options.soakSpansPerRequest,
          port: options.backendPort,
          postgres: options.soakDatabase === 'postgres' ? postgres : undefined,
        })
      : undefined;

  const report = formatReport({
    options,
    machine,
    loadAverage: os.loadavg(),
    receiver,
    csv,
    soak,
  });
  console.log(`\n${report.markdown}`);
  if (options.write) {
    writeBenchmarkSection('ingest', report.markdown);
  }
  return report.passed ? 0 : 1;
}

main().then(
  code => {
    process.exitCode = code;
  },
  error => {
    console.error(`bench:ingest failed: ${error.stack ?? error}`);
    process.exitCode = 2;
  },
);
