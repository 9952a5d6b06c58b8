export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Structured JSON logs, one object per line, so Workers Logs (and `wrangler tail`) can filter
 * by `requestId`/`correlationId`. Every line carries the bound context fields.
 */
export function createLogger(level: LogLevel = 'info', context: Record<string, unknown> = {}): Logger {
  const threshold = LEVEL_RANK[level];
  const write = (lineLevel: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVEL_RANK[lineLevel] < threshold) return;
    const line = JSON.stringify({ level: lineLevel, msg, time: new Date().toISOString(), ...context, ...fields });
    if (lineLevel === 'error') console.error(line);
    else if (lineLevel === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger(level, { ...context, ...fields }),
  };
}

/** Reduces an unknown thrown value to loggable fields (never sent to clients). */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? { cause: err.cause.message } : {};
    return { error: err.name, message: err.message, stack: err.stack, ...cause };
  }
  return { error: String(err) };
}
