/**
 * Runs the embeddings server (serve.ts) as a child process, as `npm start` does, so model inference
 * never blocks the process that hosts the embedded database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { ROOT, stopChild, UserFacingError } from '../lib/platform.ts';

export interface EmbeddingService {
  /** Base URL, e.g. `http://127.0.0.1:8790`; the endpoint is `${url}/v1/embeddings`. */
  url: string;
  loadMs: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startEmbeddingService(options: { port: number; log: (line: string) => void }): Promise<EmbeddingService> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/embeddings/serve.ts'), '--port', String(options.port)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr! }).on('line', (line) => options.log(line));
  const ready = await new Promise<{ ready: boolean; url?: string; loadMs?: number; error?: string }>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({ ready: false, error: line });
      }
    });
    child.once('exit', (code) => resolve({ ready: false, error: `the embeddings process exited with code ${code}` }));
  });
  if (!ready.ready || !ready.url) {
    child.kill('SIGTERM');
    throw new UserFacingError(ready.error ?? 'the embeddings server did not start');
  }
  return { url: ready.url, loadMs: ready.loadMs ?? 0, child, stop: () => stopChild(child) };
}
