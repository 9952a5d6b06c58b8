import { neon, neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle as drizzleHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWs, type NeonDatabase } from 'drizzle-orm/neon-serverless';

import type { AppEnv } from '@/env';
import { AppError } from '@/platform/errors';

export type Db = NeonHttpDatabase;
export type Tx = Parameters<Parameters<NeonDatabase['transaction']>[0]>[0];
/** Either a one-shot HTTP client or an open transaction: read helpers accept both. */
export type Queryable = Db | Tx;

/**
 * The database of one request, as the composition root hands it to a router (`dbDepsFromEnv`): a plain client for
 * reads and single writes, and interactive transactions. Built per request, inside the handler.
 */
export interface DbDeps {
  db: Db;
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Builds a request's {@link DbDeps} from its `env`. */
export type MakeDbDeps = (env: AppEnv) => DbDeps;

const CASING = 'snake_case' as const;

/**
 * Points the Neon driver at the local proxy when one is configured (`npm start`, tests). Both of
 * Neon's transports go through it: HTTP `/sql` for one-shot queries and WebSocket for transactions.
 */
function configureNeon(env: AppEnv): void {
  const proxy = env.NEON_LOCAL_PROXY;
  if (!proxy) return;
  neonConfig.fetchEndpoint = `http://${proxy}/sql`;
  neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
  neonConfig.pipelineTLS = false;
}

function requireUrl(env: AppEnv): string {
  if (!env.DATABASE_URL) throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database is not configured');
  return env.DATABASE_URL;
}

/**
 * A drizzle client over Neon's HTTP transport, made per request (a Worker must not share I/O
 * objects across requests). Use it for reads, single writes and `db.batch([...])`.
 */
export function createDb(env: AppEnv): Db {
  configureNeon(env);
  const db = drizzleHttp({ client: neon(requireUrl(env)), casing: CASING });
  clientEnv.set(db, env);
  return db;
}

/** The environment of each plain client, for {@link afterCommit} hooks of writes that commit at once. */
const clientEnv = new WeakMap<object, AppEnv>();

/**
 * Runs `fn` in one interactive transaction over a WebSocket connection (needed for row locks and
 * decisions between statements), then closes the connection whatever happens.
 */
export async function withTransaction<T>(
  env: AppEnv,
  fn: (tx: Tx) => Promise<T>,
  config?: IsolationConfig,
): Promise<T> {
  configureNeon(env);
  const pool = new Pool({ connectionString: requireUrl(env), max: 1 });
  // The driver emits 'error' after a dropped connection; the awaiting query already rejects with it.
  pool.on('error', () => undefined);
  try {
    return await transactionWithHooks(env, drizzleWs({ client: pool, casing: CASING }), fn, config);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

type IsolationConfig = { isolationLevel?: 'read committed' | 'repeatable read' | 'serializable' };

/** One transaction on `db`; the {@link afterCommit} hooks registered inside it run once it has committed. */
async function transactionWithHooks<T>(env: AppEnv, db: { transaction<R>(fn: (tx: Tx) => Promise<R>, config?: IsolationConfig): Promise<R> }, fn: (tx: Tx) => Promise<T>, config?: IsolationConfig): Promise<T> {
  const committed: Array<(env: AppEnv) => void> = [];
  const result = await db.transaction((tx) => {
    commitHooks.set(tx, committed);
    return fn(tx);
  }, config);
  for (const hook of committed) hook(env);
  return result;
}

const commitHooks = new WeakMap<object, Array<(env: AppEnv) => void>>();

/**
 * Runs `hook` once the transaction `q` has committed (never if it rolls back); on a plain client made by
 * {@link createDb}, whose writes commit statement by statement, it runs at once. The hook must be quick and must
 * not throw: hand slow work to `waitUntil`. Used to push live events only for changes that really happened.
 */
export function afterCommit(q: Queryable, hook: (env: AppEnv) => void): void {
  const hooks = commitHooks.get(q);
  if (hooks) hooks.push(hook);
  else {
    const env = clientEnv.get(q);
    if (env) hook(env);
  }
}

/** Interactive transactions over a pool of WebSocket connections that stays open until {@link TransactionPool.close}. */
export interface TransactionPool {
  transaction<T>(fn: (tx: Tx) => Promise<T>, config?: IsolationConfig): Promise<T>;
  close(): Promise<void>;
}

/**
 * One pool for one queue batch: its concurrent handlers share up to `maxConnections` WebSocket
 * connections instead of opening (and closing) one per transaction. Opened and closed inside the
 * same invocation, as a Worker's I/O objects must be; connections are made lazily, on first use.
 */
export function openTransactionPool(env: AppEnv, maxConnections: number): TransactionPool {
  configureNeon(env);
  const pool = new Pool({ connectionString: requireUrl(env), max: Math.max(1, maxConnections) });
  // The driver emits 'error' after a dropped connection; the awaiting query already rejects with it.
  pool.on('error', () => undefined);
  const db = drizzleWs({ client: pool, casing: CASING });
  return {
    transaction: (fn, config) => transactionWithHooks(env, db, fn, config),
    close: () => pool.end().catch(() => undefined),
  };
}

const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;
const UNAVAILABLE_MESSAGE =
  /fetch failed|network|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connection (refused|closed|timeout)|WebSocket|socket hang up|Error connecting to database|Network connection lost/i;

/** True when an error means the database could not be reached (→ 503), as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    const withCode = current as Error & { code?: unknown; sourceError?: unknown };
    if (typeof withCode.code === 'string' && UNAVAILABLE_SQLSTATE.test(withCode.code)) return true;
    if (current.name === 'NeonDbError' && withCode.code === undefined && UNAVAILABLE_MESSAGE.test(current.message)) return true;
    if (UNAVAILABLE_MESSAGE.test(current.message) && current.name !== 'DrizzleQueryError') return true;
    if (withCode.sourceError instanceof Error && UNAVAILABLE_MESSAGE.test(withCode.sourceError.message)) return true;
  }
  return false;
}

/** True when a Postgres unique constraint rejected the write (drizzle wraps the driver's error as `cause`). */
export function isUniqueViolation(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    if ((current as Error & { code?: unknown }).code === '23505') return true;
  }
  return false;
}
