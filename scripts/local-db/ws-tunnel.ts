/**
 * Neon's WebSocket tunnel (`Pool`/`Client` → /v2?address=host:port): each WebSocket carries one Postgres
 * wire-protocol connection to the address it names. At most `maxTunnels` are open at once; later clients wait
 * for a free one instead of being refused by the database's connection limit (as on Neon's pooler).
 */
import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export type TunnelServer = {
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
};

export function createTunnelServer({ maxTunnels, log }: { maxTunnels: number; log: (line: string) => void }): TunnelServer {
  const tunnels = new Set<net.Socket>();
  const waiting: (() => void)[] = [];
  let openTunnels = 0;
  const releaseTunnel = () => {
    openTunnels--;
    waiting.shift()?.();
  };
  // A peer that never answers our close frame would otherwise hold its socket for 30 s.
  // (closeTimeout exists in ws 8.23 but not yet in @types/ws 8.18, hence the variable.)
  const wsOptions = { noServer: true, closeTimeout: 1_000 };
  const wss = new WebSocketServer(wsOptions);

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


  return {
    upgrade(req, socket, head) {
      socket.on('error', () => {});
      const address = new URL(req.url ?? '/', 'http://localhost').searchParams.get('address') ?? '';
      const match = /^(.+):(\d+)$/.exec(address);
      if (!match) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nexpected ?address=host:port\n');
        return;
      }
      const [, targetHost = '', targetPort] = match;
      wss.handleUpgrade(req, socket, head, (client) => tunnel(client, targetHost.replace(/^\[|\]$/g, ''), Number(targetPort)));
    },
    close() {
      for (const tcp of tunnels) tcp.destroy();
      for (const client of wss.clients) client.terminate();
      wss.close();
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

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
