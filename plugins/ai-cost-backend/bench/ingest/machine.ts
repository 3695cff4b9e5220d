import knexFactory from 'knex';
import { describeMachine } from '../benchReport';
import { PostgresServer, postgresVersion } from './databases';

async function sqliteVersion(): Promise<string> {
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    const [row] = await sqlite.raw('SELECT sqlite_version() AS version');
    return row.version;
  } finally {
    await sqlite.destroy();
  }
}

/**
 * Describes the machine, Node.js, the SQLite library of better-sqlite3,
 * the PostgreSQL server when one is used, and the date of the run.
 */
export async function describeIngestMachine(
  postgres?: PostgresServer,
): Promise<string> {
  const parts = [
    describeMachine(),
    `SQLite ${await sqliteVersion()} (better-sqlite3)`,
  ];
  if (postgres) {
    parts.push(`PostgreSQL ${await postgresVersion(postgres)} on 127.0.0.1`);
  }
  parts.push(`run on ${new Date().toISOString().slice(0, 10)}`);
  return parts.join(', ');
}
