import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ai-cost/plugin-ai-cost-backend',
  'migrations',
);

/**
 * Returns the plugin's database client after running pending migrations,
 * unless the database service or the caller skips them.
 */
export async function connectDatabase(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const client = await options.database.getClient();

  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
