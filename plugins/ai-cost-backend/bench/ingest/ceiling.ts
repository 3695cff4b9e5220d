import { Knex } from 'knex';
import { UsageRecordRow } from '../../src/database/tables';
import { UsageStore } from '../../src/database/UsageStore';
import { UsageIngestor } from '../../src/ingest/UsageIngestor';
import { decodeTraceRequestJson } from '../../src/otlp/decodeJson';
import { decodeTraceRequestProtobuf } from '../../src/otlp/decodeProtobuf';
import { OtlpEncoding } from '../../src/otlp/exportResponse';
import { spansToBatch } from '../../src/otlp/spanToUsage';
import { TraceRequest } from '../../src/otlp/types';
import { BenchServer } from './server';
import { EncodedRequest } from './spans';

const USAGE = 'ai_cost_usage_records';
const COPY = 'ai_cost_bench_usage_copy';

/**
 * Rows per knex insert: 36 columns × 500 rows is 18,000 parameters, below
 * SQLite's default limit of 32,766 since SQLite 3.32.
 */
const INSERT_CHUNK = 500;

/** Decodes an export request body as the receiver does. */
export function decodeRequest(
  encoding: OtlpEncoding,
  body: Buffer,
): TraceRequest {
  return encoding === 'protobuf'
    ? decodeTraceRequestProtobuf(body)
    : decodeTraceRequestJson(body.toString('utf8'));
}

/**
 * Returns the rows that UsageIngestor builds for each request, through an
 * ingestor with the server's resolver and price book whose store only
 * keeps the rows.
 */
export async function rowsOfRequests(
  server: BenchServer,
  encoding: OtlpEncoding,
  requests: EncodedRequest[],
): Promise<UsageRecordRow[][]> {
  let captured: UsageRecordRow[] = [];
  const capture: Pick<UsageStore, 'insertUsage'> = {
    async insertUsage(rows) {
      captured = rows;
      return {
        inserted: rows.length,
        duplicates: 0,
        insertedKeys: new Set(rows.map(row => row.request_key)),
      };
    },
  };
  const ingestor = new UsageIngestor({
    store: capture as UsageStore,
    resolveEntity: server.resolveEntity,
    getPriceBook: async () => server.priceBook,
  });

  const result: UsageRecordRow[][] = [];
  for (const request of requests) {
    const batch = spansToBatch(decodeRequest(encoding, request.body).spans);
    await ingestor.ingest({ records: batch.records, errors: batch.errors });
    result.push(captured);
  }
  return result;
}

/**
 * Creates an empty copy of the usage table with its columns, constraints
 * and indexes: `LIKE … INCLUDING ALL` on PostgreSQL, the stored CREATE
 * statements with the table renamed on SQLite.
 */
export async function createUsageCopy(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(COPY);
  if (knex.client.config.client !== 'better-sqlite3') {
    await knex.raw('CREATE TABLE ?? (LIKE ?? INCLUDING ALL)', [COPY, USAGE]);
    return;
  }

  const statements: Array<{ type: string; name: string; sql: string }> =
    await knex('sqlite_master')
      .select('type', 'name', 'sql')
      .where({ tbl_name: USAGE })
      .whereNotNull('sql')
      .orderByRaw("type = 'table' desc");
  for (const [index, statement] of statements.entries()) {
    // Index names are renamed first, because they need not contain the
    // table name; every remaining occurrence of it is a table reference.
    const sql =
      statement.type === 'index'
        ? statement.sql.replace(statement.name, `${COPY}_index_${index}`)
        : statement.sql;
    await knex.raw(sql.split(USAGE).join(COPY));
  }
}

/**
 * Decodes each request and inserts its rows into the copy of the usage
 * table with knex, in chunks within one transaction per request, and
 * returns the milliseconds that took in total.
 */
export async function decodeAndInsert(
  knex: Knex,
  encoding: OtlpEncoding,
  requests: EncodedRequest[],
  rows: UsageRecordRow[][],
): Promise<number> {
  const started = process.hrtime.bigint();
  for (const [index, request] of requests.entries()) {
    const decoded = decodeRequest(encoding, request.body);
    if (decoded.spans.length !== rows[index].length) {
      throw new Error(
        `Request ${index} decoded to ${decoded.spans.length} spans but produced ${rows[index].length} rows`,
      );
    }
    await knex.transaction(async tx => {
      for (let start = 0; start < rows[index].length; start += INSERT_CHUNK) {
        await tx(COPY).insert(rows[index].slice(start, start + INSERT_CHUNK));
      }
    });
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Drops the copy of the usage table. */
export async function dropUsageCopy(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(COPY);
}
