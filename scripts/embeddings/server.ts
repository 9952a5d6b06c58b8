/**
 * A small OpenAI-compatible embeddings server: `POST /v1/embeddings` `{model, input}` →
 * `{object: "list", data: [{object: "embedding", index, embedding}], model, usage}` — the contract the
 * Worker's `http` embedder speaks — plus `GET /health`. Errors use OpenAI's `{error: {message, type}}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { z } from 'zod';

import { keepIdleConnectionsOpen } from '../lib/workerd-facing-server.ts';
import type { SentenceEncoder } from './model.ts';

/** Texts per request (the Worker sends at most 32; OpenAI's own limit is 2048). */
export const MAX_TEXTS_PER_REQUEST = 256;
/** Characters per text; the model reads only its first 256 tokens anyway. */
const MAX_TEXT_CHARS = 20_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const requestSchema = z.object({
  model: z.string().min(1).optional(),
  input: z.union([z.string().max(MAX_TEXT_CHARS), z.array(z.string().max(MAX_TEXT_CHARS)).min(1).max(MAX_TEXTS_PER_REQUEST)]),
  encoding_format: z.literal('float').optional(),
});

export interface EmbeddingServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface EmbeddingServerOptions {
  encoder: SentenceEncoder;
  /** Model names accepted in the request's `model` field (absent = the encoder's). */
  acceptedModels: ReadonlySet<string>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

// No parameter properties: Node runs this file with type stripping only.
class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'invalid_request_error', `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_request_error', 'request body is not valid JSON');
  }
}

export function startEmbeddingServer(options: EmbeddingServerOptions): Promise<EmbeddingServer> {
  const { encoder } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/health' && req.method === 'GET') return send(res, 200, { status: 'ok', model: encoder.model, dimensions: encoder.dimensions });
    if (path !== '/v1/embeddings') throw new HttpError(404, 'invalid_request_error', `no route ${path}`);
    if (req.method !== 'POST') throw new HttpError(405, 'invalid_request_error', 'use POST');
    const parsed = requestSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'invalid_request_error', `invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    }
    const model = parsed.data.model ?? encoder.model;
    if (!options.acceptedModels.has(model)) throw new HttpError(404, 'model_not_found', `this server serves ${encoder.model}, not ${model}`);
    const texts = typeof parsed.data.input === 'string' ? [parsed.data.input] : parsed.data.input;
    const vectors = await encoder.embed(texts);
    send(res, 200, {
      object: 'list',
      data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      model: encoder.model,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  };
  const server = keepIdleConnectionsOpen(
    createServer((req, res) => {
      handle(req, res).catch((err: unknown) => {
        if (res.headersSent) return res.destroy();
        if (err instanceof HttpError) return send(res, err.status, { error: { message: err.message, type: err.type } });
        send(res, 500, { error: { message: err instanceof Error ? err.message : 'embedding failed', type: 'server_error' } });
      });
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { address, port } = server.address() as AddressInfo;
      resolve({
        url: `http://${address}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
