/**
 * Local stand-in for Neon's serverless proxy. In production `@neondatabase/serverless`
 * talks to Neon over HTTPS (`neon()` → POST /sql) or a WebSocket tunnel (`Pool`/`Client`);
 * workerd cannot open raw TCP to a local Postgres through that driver, so this process
 * speaks both transports on one port and relays them to any Postgres reachable over TCP
 * (PGlite from ./pglite.ts by default). Worker configuration:
 *   neonConfig.fetchEndpoint = 'http://127.0.0.1:PORT/sql'
 *   neonConfig.wsProxy = (host, port) => `127.0.0.1:PORT/v2?address=${host}:${port}`
 *   neonConfig.useSecureWebSocket = false; pipelineConnect = false; pipelineTLS = false
 */
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
import { WebSocket, WebSocketServer } from 'ws';
import { listenError } from './pglite.ts';

export type NeonProxyOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Size of each per-database `pg` pool behind POST /sql; keep it below the database's connection limit. */
  poolSize?: number;
  /**
   * WebSocket tunnels open to the database at once; further clients wait for a free one instead of being
   * refused by the database's connection limit (a burst of checkouts then queues, as on Neon's pooler).
   */
  maxTunnels?: number;
  log?: (line: string) => void;
};

export type NeonProxy = {
  port: number;
  httpEndpoint: string;
  close(): Promise<void>;
};

type QueryData = { query: string; params?: unknown[] };

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

export async function startNeonProxy(opts: NeonProxyOptions = {}): Promise<NeonProxy> {
  const host = opts.host ?? '127.0.0.1';
  const poolSize = opts.poolSize ?? 10;
  const log = opts.log ?? (() => {});
  const pools = new Map<string, pg.Pool>();
  const tunnels = new Set<net.Socket>();
  const maxTunnels = opts.maxTunnels ?? 24;
  const waiting: (() => void)[] = [];
  let openTunnels = 0;
  const releaseTunnel = () => {
    openTunnels--;
    waiting.shift()?.();
  };

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

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== '/sql') {
      sendJson(res, 404, { message: 'not found: use POST /sql or a WebSocket upgrade on /v2?address=host:port' });
      return;
    }
    handleSql(req).then(
      (result) => sendJson(res, 200, result),
      (error: unknown) => {
        if (!isDatabaseError(error)) log(`neon-proxy: ${errorMessage(error)}`);
        sendJson(res, 400, errorBody(error));
      },
    );
  });

  // A peer that never answers our close frame would otherwise hold its socket for 30 s.
  // (closeTimeout exists in ws 8.23 but not yet in @types/ws 8.18, hence the variable.)
  const wsOptions = { noServer: true, closeTimeout: 1_000 };
  const wss = new WebSocketServer(wsOptions);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const address = new URL(req.url ?? '/', 'http://localhost').searchParams.get('address') ?? '';
    const match = /^(.+):(\d+)$/.exec(address);
    if (!match) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nexpected ?address=host:port\n');
      return;
    }
    const [, targetHost = '', targetPort] = match;
    wss.handleUpgrade(req, socket, head, (ws) => tunnel(ws, targetHost.replace(/^\[|\]$/g, ''), Number(targetPort)));
  });

  function tunnel(ws: WebSocket, targetHost: string, targetPort: number): void {
    let tcp: net.Socket | undefined;
    let closed = false;
    // Frames that arrive while the client waits for a tunnel are kept and sent once it opens.
    const early: Buffer[] = [];
    const findTerminate = terminateScanner();

    const forward = (chunk: Buffer) => {
      if (!tcp || tcp.writableEnded) return;
      const end = findTerminate(chunk);
      if (end === -1) {
        tcp.write(chunk);
        return;
      }
      // PGlite keeps the socket open after Terminate and workerd keeps the WebSocket
      // open after pool.end(): without this, each request leaks a server connection.
      tcp.end(chunk.subarray(0, end));
      ws.close(1000);
    };

    const open = () => {
      if (closed) return releaseTunnel();
      const socket = net.connect(targetPort, targetHost);
      tcp = socket;
      tunnels.add(socket);
      socket.setNoDelay(true);
      let released = false;
      const release = () => {
        tunnels.delete(socket);
        if (!released) {
          released = true;
          releaseTunnel();
        }
      };
      socket.on('data', (data) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data);
      });
      socket.on('close', () => {
        release();
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      });
      socket.on('error', (error) => {
        log(`neon-proxy: cannot reach ${targetHost}:${targetPort}: ${error.message}`);
        ws.close(1011, 'database connection failed');
      });
      for (const chunk of early.splice(0)) forward(chunk);
    };

    ws.on('message', (data) => {
      const chunk = toBuffer(data);
      if (tcp) forward(chunk);
      else early.push(chunk);
    });
    ws.on('close', () => {
      closed = true;
      tcp?.end();
    });
    ws.on('error', (error) => {
      log(`neon-proxy: websocket error: ${error.message}`);
      tcp?.destroy();
    });

    openTunnels++;
    if (openTunnels <= maxTunnels) open();
    else waiting.push(open);
  }


  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, host, opts.port ?? 0, 'NEON_PROXY_PORT')));
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.on('error', (error) => log(`neon-proxy: server error: ${error.message}`));
  const port = (server.address() as net.AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    port,
    httpEndpoint: `http://${host}:${port}/sql`,
    close() {
      closing ??= (async () => {
        for (const tcp of tunnels) tcp.destroy();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
      })();
      return closing;
    },
  };
}

/**
 * Follows the client→server message framing of a tunnel and returns the offset just
 * past a Terminate message ('X', int32 4) in a chunk, or -1. Scanning frames instead of
 * matching their last bytes avoids cutting a connection whose data happens to end like one.
 */
function terminateScanner(): (chunk: Buffer) => number {
  let inStartup = true; // SSLRequest, GSSENCRequest and StartupMessage carry no type byte
  let header = Buffer.alloc(0);
  let skip = 0;
  let lost = false;
  return (chunk) => {
    let i = 0;
    while (!lost && i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const headerSize = inStartup ? 8 : 5;
      const take = Math.min(headerSize - header.length, chunk.length - i);
      header = Buffer.concat([header, chunk.subarray(i, i + take)]);
      i += take;
      if (header.length < headerSize) break;
      if (inStartup) {
        const length = header.readInt32BE(0);
        inStartup = header.readUInt16BE(4) !== 3; // protocol 3.x ends the untyped phase
        skip = length - 8;
      } else {
        const length = header.readInt32BE(1);
        if (header[0] === 0x58 && length === 4) return i;
        skip = length - 4;
      }
      lost = skip < 0;
      header = Buffer.alloc(0);
    }
    return -1;
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

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
