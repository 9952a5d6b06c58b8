import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';

import { serveFrontDoor } from './front-door.ts';

/**
 * A stand-in for the Worker's runtime that loses the keep-alive race every time it can: the first request on a
 * connection is answered (and the connection offered for reuse); a second request on the same connection finds it
 * closed, as when the runtime drops an idle connection at the moment a pooled client writes to it.
 */
function racingRuntime() {
  const connections = new Map<object, number>();
  const server = http.createServer((request, response) => {
    const requests = (connections.get(request.socket) ?? 0) + 1;
    connections.set(request.socket, requests);
    if (requests > 1) return request.socket.destroy();
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => response.writeHead(200, { connection: 'keep-alive' }).end(`${request.method} ${request.url} ${body}`));
  });
  new WebSocketServer({ server }).on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
  return { server, requestsPerConnection: () => [...connections.values()] };
}

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let runtime: ReturnType<typeof racingRuntime>;
let runtimeUrl: string;
let frontDoor: http.Server;
let frontDoorUrl: string;

beforeAll(async () => {
  runtime = racingRuntime();
  runtimeUrl = await listen(runtime.server);
  frontDoor = await serveFrontDoor({ hostname: '127.0.0.1', port: 0, target: runtimeUrl });
  frontDoorUrl = `http://127.0.0.1:${(frontDoor.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const server of [frontDoor, runtime.server]) {
    server.closeAllConnections();
    server.close();
  }
});

/** One POST through a client that pools its connections, as Wrangler's dev proxy does. */
const pooledPost = (agent: http.Agent, url: string, body: string) =>
  new Promise<string>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject).end(body);
  });

describe('front door', () => {
  it('the stand-in runtime does lose a pooled client’s second POST', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await expect(pooledPost(agent, `${runtimeUrl}/first`, 'a')).resolves.toBe('POST /first a');
    await expect(pooledPost(agent, `${runtimeUrl}/second`, 'b')).rejects.toThrow();
    agent.destroy();
  });

  it('sends every request on a connection of its own, so none is lost', async () => {
    const before = runtime.requestsPerConnection().length;
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${frontDoorUrl}/api/v1/orders?i=${i}`, { method: 'POST', body: `order ${i}` });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`POST /api/v1/orders?i=${i} order ${i}`);
    }
    expect(runtime.requestsPerConnection().slice(before)).toEqual([1, 1, 1, 1, 1]);
  });

  it('carries WebSockets both ways', async () => {
    const socket = new WebSocket(`${frontDoorUrl.replace('http', 'ws')}/api/v1/live`);
    const reply = new Promise<string>((resolve, reject) => socket.once('message', (data) => resolve(String(data))).once('error', reject));
    socket.once('open', () => socket.send('ping'));
    await expect(reply).resolves.toBe('echo:ping');
    socket.close();
  });

  it('answers 502 when the runtime is not there', async () => {
    const gone = await serveFrontDoor({ hostname: '127.0.0.1', port: 0, target: 'http://127.0.0.1:9' });
    const response = await fetch(`http://127.0.0.1:${(gone.address() as AddressInfo).port}/health/live`);
    expect(response.status).toBe(502);
    gone.close();
  });
});
