import { ServiceUnavailableError } from '@backstage/errors';
import express from 'express';

// SQLSTATE codes (PostgreSQL 15, Appendix A) after which a later retry can
// succeed: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
// cannot_connect_now, and the connection_exception class 08.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const CONNECTION_EXCEPTION_CLASS = '08';

/** Node.js socket errors of a database connection that failed or broke. */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Messages of node-postgres (pg 8) for a connection that ended. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Connection ended unexpectedly',
];

/**
 * knex 3 prefixes the message of a failed query with the query, as in
 * `ROLLBACK - Connection terminated unexpectedly`, so the pg message may
 * follow ` - `. Only errors without a code are checked there, because the
 * query text quotes the bound values, which may contain any text.
 */
function isConnectionMessage(message: string, code: unknown): boolean {
  return PG_CONNECTION_MESSAGES.some(
    prefix =>
      message.startsWith(prefix) ||
      (code === undefined && message.includes(` - ${prefix}`)),
  );
}

/** Maximum depth of the `cause` and AggregateError chains that are checked. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Returns whether an error means that the database cannot be reached for
 * now, so that the same request may succeed later. These are refused,
 * reset or ended connections, PostgreSQL shutdown and connection errors
 * (SQLSTATE 57P01, 57P02, 57P03 and class 08) and knex's timeout while
 * acquiring a pooled connection. The check follows `cause` and the
 * `errors` of an AggregateError.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return check(error, 0);
}

function check(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) {
    return false;
  }
  const { name, code, message, cause, errors } = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };

  if (name === 'KnexTimeoutError') {
    return true;
  }
  if (typeof code === 'string') {
    if (
      UNAVAILABLE_SQLSTATES.has(code) ||
      (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS)) ||
      SOCKET_ERROR_CODES.has(code)
    ) {
      return true;
    }
  }
  if (typeof message === 'string' && isConnectionMessage(message, code)) {
    return true;
  }
  if (Array.isArray(errors) && errors.some(item => check(item, depth + 1))) {
    return true;
  }
  return check(cause, depth + 1);
}

/**
 * Sets `Retry-After` on a response and returns the 503 error to throw for
 * a request that a database outage stopped. The message leaves out the
 * cause, because it names the database host; callers log it.
 */
export function databaseUnavailableResponse(
  res: express.Response,
  retryAfterSeconds: number,
): ServiceUnavailableError {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new ServiceUnavailableError(
    `The usage database is unavailable; retry after ${retryAfterSeconds} seconds`,
  );
}
