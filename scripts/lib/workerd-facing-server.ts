import type { Server } from 'node:http';

/**
 * For a Node server that the Worker (workerd) calls: idle keep-alive connections stay open until the client closes
 * them. With Node's default 5 s idle timeout, workerd sometimes sends its next request on a pooled connection Node has
 * just closed, and the query fails with "Network connection lost" (workers-sdk issue 14848) — seen as random failures
 * under load, when requests queue long enough to meet the timeout. Only the idle timeout changes: also zeroing
 * `headersTimeout` (as that issue suggests) made a held WebSocket-tunnel transaction in `test/races` hang.
 */
export function keepIdleConnectionsOpen<T extends Server>(server: T): T {
  server.keepAliveTimeout = 0;
  return server;
}
