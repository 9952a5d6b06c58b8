import http from 'node:http';

import { createProxyServer } from 'http-proxy-3';

/**
 * The address unattended `npm start` runs serve on: forwards HTTP and WebSocket traffic to the Worker's runtime, each
 * request on a connection of its own. Wrangler's dev proxy pools its connections to the runtime instead, and both
 * ends drop an idle one after 5 s: a POST written to a connection just as the runtime closed it was lost, and the
 * proxy (which resends only GET and HEAD) answered 500 (docs/decisions/e2e.md). Without pooling there is no idle
 * connection to lose. Clients keep their own keep-alive connections to this Node server, whose advertised
 * `Keep-Alive: timeout` they honour (Node) or whose early close they retry (browsers).
 */
export async function serveFrontDoor({ hostname, port, target }: { hostname: string; port: number; target: string }): Promise<http.Server> {
  const proxy = createProxyServer({ target, ws: true, agent: new http.Agent({ keepAlive: false }) });
  proxy.on('error', (error, request, response) => {
    // A WebSocket's pipe ends this way whenever either side drops it (a tab closes): nothing to report.
    if (!(response instanceof http.ServerResponse)) return void response.destroy();
    console.error(`front door: ${request.method} ${request.url}: ${error.message}`);
    if (response.headersSent) return void response.destroy();
    response.writeHead(502, { 'content-type': 'text/plain' }).end('The local Worker did not answer.');
  });
  const server = http.createServer((request, response) => void proxy.web(request, response));
  server.on('upgrade', (request, socket, head) => void proxy.ws(request, socket, head));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, hostname, resolve));
  return server;
}
