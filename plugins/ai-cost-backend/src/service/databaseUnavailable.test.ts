import { InputError } from '@backstage/errors';
import knexFactory from 'knex';
import { Client } from 'pg';
import { isDatabaseUnavailableError } from './databaseUnavailable';

jest.setTimeout(30_000);

// testDatabases.ts makes this variable required under CI.
const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('the work did not fail');
}

describe('isDatabaseUnavailableError', () => {
  it('detects knex pool timeout', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      acquireConnectionTimeout: 200,
    });
    const transaction = await knex.transaction();

    const error = await caught(() => knex.raw('select 1'));
    await transaction.rollback();
    await knex.destroy();

    expect((error as Error).name).toBe('KnexTimeoutError');
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it('detects refused connection', async () => {
    // Port 1 on the loopback interface has no listener.
    const knex = knexFactory({
      client: 'pg',
      connection: 'postgresql://postgres@127.0.0.1:1/postgres',
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 5_000,
    });

    const error = await caught(() => knex.raw('select 1'));
    await knex.destroy();

    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it('detects terminated backend', async () => {
    const victim = new Client({ connectionString: POSTGRES });
    const admin = new Client({ connectionString: POSTGRES });
    await victim.connect();
    await admin.connect();
    // The terminated client emits an error event besides the failed query.
    victim.on('error', () => {});
    const { rows } = await victim.query('select pg_backend_pid() as pid');

    await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
    const error = await caught(() => victim.query('select 1'));
    await admin.end();
    await victim.end().catch(() => {});

    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it('detects knex transaction on terminated backend', async () => {
    const knex = knexFactory({
      client: 'pg',
      connection: POSTGRES,
      pool: { min: 0, max: 1 },
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    const admin = new Client({ connectionString: POSTGRES });
    await admin.connect();

    const error = await caught(() =>
      knex.transaction(async tx => {
        const { rows } = await tx.raw('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
        await tx.raw('select 1');
      }),
    );
    await admin.end();
    await knex.destroy();

    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['cannot connect now', { code: '57P03' }],
    ['crash shutdown', { code: '57P02' }],
    ['connection failure', { code: '08006' }],
    ['connection does not exist', { code: '08003' }],
    ['connection reset', { code: 'ECONNRESET' }],
    ['pg connection ended', new Error('Connection terminated unexpectedly')],
    [
      'knex query on ended connection',
      new Error('BEGIN; - Connection terminated unexpectedly'),
    ],
    [
      'knex rollback on broken client',
      new Error(
        'ROLLBACK - Client has encountered a connection error and is not queryable',
      ),
    ],
    [
      'wrapped cause',
      new Error('insert failed', { cause: { code: 'ECONNREFUSED' } }),
    ],
    [
      'aggregate of refusals',
      new AggregateError([{ code: 'ECONNREFUSED' }], 'connect failed'),
    ],
  ])('detects %s', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['unique violation', { code: '23505' }],
    ['undefined table', { code: '42P01' }],
    ['input error', new InputError('bad record')],
    ['plain error', new Error('boom')],
    [
      'coded error quoting a message',
      Object.assign(
        new Error(
          "insert into t values ('x - Connection terminated') - duplicate key value violates unique constraint",
        ),
        { code: '23505' },
      ),
    ],
    ['string', 'ECONNREFUSED'],
    ['null', null],
  ])('ignores %s', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it('stops at cyclic causes', () => {
    const error: { code: string; cause?: unknown } = { code: '23505' };
    error.cause = error;

    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});
