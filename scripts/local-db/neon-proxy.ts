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
import type net from 'node:net';
import { keepIdleConnectionsOpen } from '../lib/workerd-facing-server.ts';
import { listenError } from './pglite.ts';
import { createSqlOverHttp, sendJson } from './sql-over-http.ts';
import { createTunnelServer } from './ws-tunnel.ts';

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

export async function startNeonProxy(opts: NeonProxyOptions = {}): Promise<NeonProxy> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const sql = createSqlOverHttp({ poolSize: opts.poolSize ?? 10, log });
  const tunnels = createTunnelServer({ maxTunnels: opts.maxTunnels ?? 24, log });

  const server = keepIdleConnectionsOpen(
    http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/sql') return sql.handle(req, res);
      sendJson(res, 404, { message: 'not found: use POST /sql or a WebSocket upgrade on /v2?address=host:port' });
    }),
  );
  server.on('upgrade', (req, socket, head) => tunnels.upgrade(req, socket, head));

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
        tunnels.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await sql.close();
      })();
      return closing;
    },
  };
}
