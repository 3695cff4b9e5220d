import { LoggerService } from '@backstage/backend-plugin-api';

type Level = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * Writes log lines at `level` and above to stderr, with the fields of the
 * child loggers, so that warnings of the receiver show during a run.
 */
export function createConsoleLogger(
  level: Level,
  fields: Record<string, unknown> = {},
): LoggerService {
  const write = (at: Level, message: string, meta?: Error | object) => {
    if (ORDER[at] > ORDER[level]) {
      return;
    }
    let detail = '';
    if (meta instanceof Error) {
      detail = ` ${meta.stack ?? meta.message}`;
    } else if (meta) {
      detail = ` ${JSON.stringify(meta)}`;
    }
    const context = Object.keys(fields).length
      ? ` ${JSON.stringify(fields)}`
      : '';
    process.stderr.write(`${at}: ${message}${context}${detail}\n`);
  };
  return {
    error: (message, meta) => write('error', message, meta),
    warn: (message, meta) => write('warn', message, meta),
    info: (message, meta) => write('info', message, meta),
    debug: (message, meta) => write('debug', message, meta),
    child: meta => createConsoleLogger(level, { ...fields, ...meta }),
  };
}
