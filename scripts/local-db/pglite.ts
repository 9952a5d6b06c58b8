import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type LocalDatabaseOptions = {
  /** Directory holding the data; undefined keeps everything in memory. */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Wire connections accepted at once; keep every client pool below it. */
  maxConnections?: number;
};

export type LocalDatabase = {
  host: string;
  port: number;
  connectionString: string;
  close(): Promise<void>;
};

const RESET_HINT = 'run `npm run db:reset` to start from an empty database';

/**
 * Embedded Postgres (PGlite + pgvector) served over the Postgres wire protocol,
 * so `pg` and the Neon proxy reach it exactly like a real server.
 */
export async function startLocalDatabase(opts: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  const host = opts.host ?? '127.0.0.1';
  const maxConnections = opts.maxConnections ?? 40;
  // Probing before opening PGlite fails fast and, for a data dir, avoids a
  // second PGlite writing the same files as the process that owns the port.
  if (opts.port) await assertPortFree(host, opts.port);

  const db = await openPglite(opts.dataDir);
  const server = new PGLiteSocketServer({ db, host, port: opts.port ?? 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close().catch(() => {});
    throw listenError(error, host, opts.port ?? 0);
  }

  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    connectionString: `postgres://postgres:postgres@${host}:${port}/postgres`,
    close() {
      closing ??= (async () => {
        // stop() waits for every client socket to finish; a stuck client must
        // not keep PGlite from flushing its data dir on shutdown.
        await withTimeout(server.stop(), 5_000);
        await db.close();
      })();
      return closing;
    },
  };
}

/** Extensions the migrations create: pgvector (semantic search) and pg_trgm (name trigram index). */
const EXTENSIONS = { vector, pg_trgm };

async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir === undefined) {
    try {
      return await createInMemory();
    } catch (error) {
      throw new Error(`could not start the in-memory database: ${reason(error)}`, { cause: error });
    }
  }
  checkDataDir(dataDir);
  try {
    return await PGlite.create({ dataDir, extensions: EXTENSIONS });
  } catch (error) {
    throw new Error(
      `could not open the database in ${dataDir} (${reason(error)}); it looks corrupt or was written by another version — ${RESET_HINT}`,
      { cause: error },
    );
  }
}

// initdb costs ~5 s per in-memory start on a small machine, loading a snapshot of a
// fresh cluster ~1 s: keep one per PGlite/pgvector version in the temp dir.
async function createInMemory(): Promise<PGlite> {
  const template = templatePath();
  if (fs.existsSync(template)) {
    try {
      const loadDataDir = new Blob([fs.readFileSync(template)], { type: 'application/x-tar' });
      return await PGlite.create({ extensions: EXTENSIONS, loadDataDir });
    } catch {
      fs.rmSync(template, { force: true });
    }
  }
  const db = await PGlite.create({ extensions: EXTENSIONS });
  try {
    const snapshot = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    const partial = `${template}.${process.pid}`;
    fs.writeFileSync(partial, snapshot);
    fs.renameSync(partial, template); // atomic, so a concurrent start never reads half a file
  } catch {
    // Only a cache: the next start runs initdb again.
  }
  return db;
}

function templatePath(): string {
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    const dir = path.dirname(path.dirname(require.resolve(name))); // <pkg>/dist/index.cjs
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  };
  const key = `pglite-${version('@electric-sql/pglite')}-pgvector-${version('@electric-sql/pglite-pgvector')}`;
  return path.join(os.tmpdir(), `local-db-${key}-uid${process.getuid?.() ?? 0}.tar`);
}

// PGlite reports these cases as opaque Emscripten errors after seconds of work,
// so catch them up front with a message that names the problem.
function checkDataDir(dataDir: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dataDir);
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    return;
  }
  if (!stat.isDirectory()) {
    throw new Error(`database path ${dataDir} is not a directory — remove it or ${RESET_HINT}`);
  }
  try {
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new Error(`database directory ${dataDir} is not readable and writable — fix its permissions or ${RESET_HINT}`);
  }
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => reject(listenError(error, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export function listenError(error: unknown, host: string, port: number, envVar = 'PG_PORT'): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is already in use — stop the other process or set ${envVar}`, { cause: error });
  }
  if (code === 'EACCES') {
    return new Error(`not allowed to listen on port ${port} — pick a port above 1023 with ${envVar}`, { cause: error });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new Error(`cannot listen on ${host}: no such local address`, { cause: error });
  }
  return new Error(`cannot listen on ${host}:${port}: ${reason(error)}`, { cause: error });
}

function reason(error: unknown): string {
  if (error instanceof Error && error.message.startsWith('Aborted(')) return 'PGlite aborted while reading it';
  if (error instanceof Error && error.message && !error.message.startsWith('[object')) return error.message;
  const errno = (error as { errno?: unknown; code?: unknown } | undefined)?.errno;
  return errno === undefined ? 'unknown error' : `filesystem error ${String(errno)}`;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
