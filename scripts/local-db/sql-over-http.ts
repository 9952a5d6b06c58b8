/**
 * Neon's SQL-over-HTTP transport (`neon()` → POST /sql), relayed to Postgres through one `pg` pool per
 * connection string. Each request runs in its own transaction; a batch (`{queries}`) honours the
 * Neon-Batch-* headers.
 */
import type http from 'node:http';
import pg from 'pg';

type QueryData = { query: string; params?: unknown[] };

export type SqlOverHttp = {
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};
const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where',
  'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;
// The driver parses values itself from `fields[].dataTypeID`, as it does with Neon's raw text output.
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export function createSqlOverHttp({ poolSize, log }: { poolSize: number; log: (line: string) => void }): SqlOverHttp {
  const pools = new Map<string, pg.Pool>();

  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
      // pg emits 'error' on idle and checked-out clients when the server drops them;
      // unhandled, that would crash the proxy (or fail a vitest run).
      pool.on('error', (error) => log(`neon-proxy: idle connection error: ${error.message}`));
      pool.on('connect', (client) => client.on('error', (error) => log(`neon-proxy: connection error: ${error.message}`)));
      pools.set(connectionString, pool);
    }
    return pool;
  }

  async function handleSql(req: http.IncomingMessage): Promise<unknown> {
    const connectionString = req.headers['neon-connection-string'];
    if (typeof connectionString !== 'string') throw badRequest('missing Neon-Connection-String header');
    const body = parseBody(await readBody(req));
    const pool = poolFor(connectionString);
    // A single query runs in its own BEGIN … COMMIT too. pglite-socket queues each protocol message
    // separately and keeps one connection's messages together only inside a transaction, so a bare
    // Parse/Bind/Execute/Sync could have another connection's transaction run between its Parse and
    // Bind (wrong or failed statement, or a hung database). One statement in a transaction is the same
    // as autocommit; only statements that refuse transaction blocks (CREATE INDEX CONCURRENTLY,
    // VACUUM) cannot be sent this way — migrations connect directly.
    const single = !('queries' in body);
    const queries = 'queries' in body ? body.queries : [body];

    const begin = single ? 'BEGIN' : beginStatement(req.headers);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      try {
        const results = [];
        for (const query of queries) results.push(toResponse(await client.query(toConfig(query))));
        await client.query('COMMIT');
        return single ? results[0] : { results };
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } catch (error) {
      if (!isDatabaseError(error) && error instanceof Error) broken ??= error;
      throw error;
    } finally {
      // A connection in an unknown state is destroyed rather than reused.
      client.release(broken);
    }
  }

  return {
    handle(req, res) {
      handleSql(req).then(
        (result) => sendJson(res, 200, result),
        (error: unknown) => {
          if (!isDatabaseError(error)) log(`neon-proxy: ${errorMessage(error)}`);
          sendJson(res, 400, errorBody(error));
        },
      );
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
    },
  };
}

function toConfig({ query, params }: QueryData): pg.QueryArrayConfig & { queryMode: 'extended' } {
  // Neon runs every query through the extended protocol, which rejects several
  // statements in one string; matching that keeps local code portable.
  return { text: query, values: params ?? [], rowMode: 'array', types: RAW_TEXT, queryMode: 'extended' };
}

function toResponse(result: pg.QueryResult) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields,
    rowAsArray: true,
  };
}

function beginStatement(headers: http.IncomingHttpHeaders): string {
  const modes: string[] = [];
  const isolation = headers['neon-batch-isolation-level'];
  if (typeof isolation === 'string') {
    const level = ISOLATION_LEVELS[isolation];
    if (!level) throw badRequest(`unknown Neon-Batch-Isolation-Level: ${isolation}`);
    modes.push(`ISOLATION LEVEL ${level}`);
  }
  const readOnly = headers['neon-batch-read-only'];
  if (readOnly === 'true' || readOnly === 'false') modes.push(readOnly === 'true' ? 'READ ONLY' : 'READ WRITE');
  const deferrable = headers['neon-batch-deferrable'];
  if (deferrable === 'true' || deferrable === 'false') modes.push(deferrable === 'true' ? 'DEFERRABLE' : 'NOT DEFERRABLE');
  return ['BEGIN', modes.join(', ')].join(' ').trim();
}

function parseBody(text: string): QueryData | { queries: QueryData[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  const isQuery = (value: unknown): value is QueryData =>
    typeof value === 'object' && value !== null && typeof (value as QueryData).query === 'string' &&
    ((value as QueryData).params === undefined || Array.isArray((value as QueryData).params));
  if (isQuery(body)) return body;
  const queries = (body as { queries?: unknown } | null)?.queries;
  if (Array.isArray(queries) && queries.every(isQuery)) return { queries };
  throw badRequest('expected a body of {query, params} or {queries: [{query, params}, …]}');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(badRequest('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => reject(badRequest('request aborted'))); // no-op once resolved
  });
}

function badRequest(message: string): Error {
  return Object.assign(new Error(message), { status: 400 });
}

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

function errorBody(error: unknown): Record<string, unknown> {
  if (isDatabaseError(error)) {
    const body: Record<string, unknown> = { message: error.message };
    for (const field of ERROR_FIELDS) if (error[field] !== undefined) body[field] = error[field];
    return body;
  }
  if ((error as { status?: unknown })?.status === 400) return { message: errorMessage(error) };
  // Anything else came from the connection, not the query: SQLSTATE class 08
  // lets callers tell "database down" from a bad query.
  return { message: `database connection failed: ${errorMessage(error)}`, code: '08006' };
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  return error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error) : String(error);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

