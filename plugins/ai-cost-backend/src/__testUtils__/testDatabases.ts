import { TestDatabaseId } from '@backstage/backend-test-utils';

/**
 * Databases of every store test: SQLite and the PostgreSQL major version
 * that scripts/postgres.sh found (`AI_COST_TEST_POSTGRES_ID`, default 15).
 */
export const TEST_DATABASE_IDS: TestDatabaseId[] = [
  'SQLITE_3',
  (process.env.AI_COST_TEST_POSTGRES_ID ?? 'POSTGRES_15') as TestDatabaseId,
];

const postgresVersion = TEST_DATABASE_IDS[1].replace('POSTGRES_', '');
const connectionVariable = `BACKSTAGE_TEST_DATABASE_POSTGRES${postgresVersion}_CONNECTION_STRING`;

// Under CI, TestDatabases would skip PostgreSQL without a server; fail
// instead, so that a green run always covers both databases.
if (process.env.CI && !process.env[connectionVariable]) {
  throw new Error(
    `${connectionVariable} is not set; run the tests through scripts/test.sh, which starts PostgreSQL`,
  );
}
