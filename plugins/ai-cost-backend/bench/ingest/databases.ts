import { ConfigReader } from '@backstage/config';
import {
  DatabaseService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import knexFactory, { Knex } from 'knex';

/** Databases that the benchmark runs on. */
export type BenchDatabaseKind = 'sqlite' | 'postgres';

/** A database of one benchmark cell, created for it and removed after. */
export interface BenchDatabase {
  kind: BenchDatabaseKind;
  /** The plugin's database service, as the backend hands it to the plugin. */
  service: DatabaseService;
  /** Closes the connections and drops the scratch database, if any. */
  dispose(): Promise<void>;
}

/** A PostgreSQL server on the loopback interface. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Parses a PostgreSQL connection string and rejects hosts other than the
 * loopback interface, because the benchmark creates and drops databases.
 */
export function parseLoopbackPostgres(url: string): PostgresServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `Invalid --postgres ${JSON.stringify(
        url,
      )}; use a URL such as postgresql://postgres@127.0.0.1:5432`,
    );
  }
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new Error(
      `--postgres host ${parsed.hostname} is not the loopback interface; the benchmark creates and drops databases, so it only connects to 127.0.0.1`,
    );
  }
  const server: PostgresServer = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
  };
  if (parsed.password) {
    server.password = decodeURIComponent(parsed.password);
  }
  return server;
}

/** Collects the shutdown hooks that DatabaseManager registers. */
function createLifecycle(): LifecycleService & { shutdown(): Promise<void> } {
  const hooks: Array<() => void | Promise<void>> = [];
  return {
    addStartupHook() {},
    addShutdownHook(hook) {
      hooks.push(hook);
    },
    async shutdown() {
      for (const hook of hooks) {
        await hook();
      }
    },
  };
}

/**
 * Creates the `ai-cost` plugin database through Backstage's
 * DatabaseManager: in-memory better-sqlite3, the product's default.
 */
export async function createSqliteDatabase(
  logger: LoggerService,
): Promise<BenchDatabase> {
  const config = new ConfigReader({
    backend: {
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
  });
  return fromManager('sqlite', config, logger, async () => {});
}

/**
 * Creates a scratch PostgreSQL database and hands it to Backstage's
 * DatabaseManager in schema mode, so the plugin gets its own schema in
 * it. dispose() drops the database.
 */
export async function createPostgresDatabase(
  connection: PostgresServer,
  name: string,
  logger: LoggerService,
): Promise<BenchDatabase> {
  await createScratchDatabase(connection, name);
  const config = new ConfigReader({
    backend: {
      database: {
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: { ...connection, database: name },
      },
    },
  });
  return fromManager('postgres', config, logger, () =>
    dropScratchDatabase(connection, name),
  );
}

async function fromManager(
  kind: BenchDatabaseKind,
  config: ConfigReader,
  logger: LoggerService,
  drop: () => Promise<void>,
): Promise<BenchDatabase> {
  const lifecycle = createLifecycle();
  const service = DatabaseManager.fromConfig(config).forPlugin('ai-cost', {
    logger,
    lifecycle,
  });
  return {
    kind,
    service,
    async dispose() {
      const client = await service.getClient();
      await client.destroy();
      await lifecycle.shutdown();
      await drop();
    },
  };
}

async function withAdmin<T>(
  connection: PostgresServer,
  work: (admin: Knex) => Promise<T>,
): Promise<T> {
  const admin = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** Creates a scratch database named by the benchmark. */
export async function createScratchDatabase(
  connection: PostgresServer,
  name: string,
): Promise<void> {
  await withAdmin(connection, admin => admin.raw('CREATE DATABASE ??', [name]));
}

/** Drops a scratch database, ending its remaining sessions. */
export async function dropScratchDatabase(
  connection: PostgresServer,
  name: string,
): Promise<void> {
  await withAdmin(connection, admin =>
    admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]),
  );
}

/** Returns the server version, such as `15.20`. */
export async function postgresVersion(
  connection: PostgresServer,
): Promise<string> {
  return withAdmin(connection, async admin => {
    const result = await admin.raw('SHOW server_version');
    return String(result.rows[0].server_version).split(' ')[0];
  });
}
