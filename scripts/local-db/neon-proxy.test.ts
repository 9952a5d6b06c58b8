import net from 'node:net';
import { NeonDbError, Pool, neon, neonConfig, type NeonQueryFunction } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startNeonProxy, type NeonProxy } from './neon-proxy.ts';
import { startLocalDatabase, type LocalDatabase } from './pglite.ts';

// workerd keeps the WebSocket open after pool.end() (the driver's argument-less close()),
// while the Node client would close it and hide the connection leak the proxy has to
// prevent. Mimic workerd: ignore that call, but still answer the proxy's close frame.
class WorkerdLikeWebSocket extends WebSocket {
  override close(code?: number, reason?: string | Buffer): void {
    if (code !== undefined) super.close(code, reason);
  }
}

const MAX_CONNECTIONS = 25;
let db: LocalDatabase;
let proxy: NeonProxy;
let sql: NeonQueryFunction<false, false>;
const openPools = new Set<Pool>();

function wsPool(): Pool {
  const pool = new Pool({ connectionString: db.connectionString, max: 1 });
  pool.on('error', () => {});
  openPools.add(pool);
  return pool;
}

async function endPool(pool: Pool): Promise<void> {
  await pool.end();
  openPools.delete(pool);
}

beforeAll(async () => {
  db = await startLocalDatabase({ maxConnections: MAX_CONNECTIONS });
  proxy = await startNeonProxy({ poolSize: 3, maxTunnels: MAX_CONNECTIONS - 3 });
  neonConfig.fetchEndpoint = proxy.httpEndpoint;
  neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxy.port}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
  neonConfig.pipelineTLS = false;
  neonConfig.webSocketConstructor = WorkerdLikeWebSocket;
  sql = neon(db.connectionString);
}, 60_000);

afterAll(async () => {
  await Promise.all([...openPools].map((pool) => pool.end().catch(() => {})));
  await proxy?.close();
  await db?.close();
});

describe('HTTP transport (neon())', () => {
  it('keeps idle connections open for workerd (no keep-alive timeout that could close one under a reused request)', async () => {
    // Any route of the server shows it; this one opens no database connection (the tests below count them).
    const res = await fetch(`http://127.0.0.1:${proxy.port}/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(res.headers.get('keep-alive')).toBeNull();
  });

  it('keeps concurrent single queries and batch transactions apart', async () => {
    // pglite-socket interleaves protocol messages of different connections outside transactions;
    // without the proxy's per-query transaction this mix failed binds and then hung the database.
    const values = Array.from({ length: 60 }, (_, i) => i);
    const answers = await Promise.all(
      values.map((i) =>
        (i % 3 === 0
          ? sql.transaction([sql`SELECT ${i}::int AS n, ${'a'}::text AS a, ${'b'}::text AS b`]).then(([rows]) => Number(rows?.[0]?.n))
          : (i % 3 === 1 ? sql`SELECT ${i}::int AS n, ${'x'}::text AS tag` : sql`SELECT ${i}::int AS n`).then((rows) => Number(rows[0]?.n))
        ).catch((error: Error) => error.message),
      ),
    );
    expect(answers).toEqual(values);
  }, 20_000);

  it('supports pgvector with an HNSW cosine index', async () => {
    await sql`CREATE EXTENSION IF NOT EXISTS vector`;
    await sql`CREATE TABLE docs (id int PRIMARY KEY, embedding vector(3) NOT NULL)`;
    await sql`CREATE INDEX docs_embedding_idx ON docs USING hnsw (embedding vector_cosine_ops)`;
    await sql.transaction([
      sql`INSERT INTO docs VALUES (1, ${'[1,0,0]'}), (2, ${'[0,1,0]'}), (3, ${'[0.9,0.1,0]'})`,
    ]);
    const rows = await sql`SELECT id, embedding <=> ${'[1,0,0]'} AS distance FROM docs ORDER BY embedding <=> ${'[1,0,0]'} LIMIT 2`;
    expect(rows.map((row) => row.id)).toEqual([1, 3]);
    expect(rows[0]?.distance).toBe(0);
  });

  it('round-trips params and types through the driver', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const [row] = await sql`SELECT
      ${null}::text AS nothing,
      ${{ a: [1, 'two', null] }}::jsonb AS doc,
      ${'12.50'}::numeric AS price,
      ${at}::timestamptz AS at,
      ${9007199254740993n}::bigint AS big,
      ${['x', 'y,z']}::text[] AS tags,
      ${'héllo ✓'} AS text,
      ${'[1,2,3]'}::vector AS vec`;
    expect(row).toEqual({
      nothing: null,
      doc: { a: [1, 'two', null] },
      price: '12.50',
      at,
      big: '9007199254740993',
      tags: ['x', 'y,z'],
      text: 'héllo ✓',
      vec: '[1,2,3]',
    });
    const full = await sql.query('SELECT 1 AS one', [], { fullResults: true, arrayMode: true });
    expect(full).toMatchObject({ command: 'SELECT', rowCount: 1, rows: [[1]], fields: [{ name: 'one', dataTypeID: 23 }] });
  });

  it('commits a batch atomically and rolls it back entirely on failure', async () => {
    await sql`CREATE TABLE skus (code text PRIMARY KEY)`;
    const [inserted, counted] = await sql.transaction([
      sql`INSERT INTO skus VALUES ('a'), ('b') RETURNING code`,
      sql`SELECT count(*)::int AS n FROM skus`,
    ]);
    expect(inserted).toEqual([{ code: 'a' }, { code: 'b' }]);
    expect(counted).toEqual([{ n: 2 }]);

    const duplicate = sql.transaction([sql`INSERT INTO skus VALUES ('c')`, sql`INSERT INTO skus VALUES ('a')`]);
    await expect(duplicate).rejects.toBeInstanceOf(NeonDbError);
    await expect(duplicate).rejects.toMatchObject({ code: '23505', constraint: 'skus_pkey' });

    const syntax = sql.transaction([sql`INSERT INTO skus VALUES ('d')`, sql.query('SELEC 1')]);
    await expect(syntax).rejects.toMatchObject({ code: '42601', position: '1' });

    expect(await sql`SELECT code FROM skus ORDER BY code`).toEqual([{ code: 'a' }, { code: 'b' }]);
  });

  it('applies the batch isolation level and read-only flag', async () => {
    const results = await sql.transaction(
      [sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`],
      { isolationLevel: 'Serializable', readOnly: true },
    );
    expect(results).toEqual([[{ transaction_isolation: 'serializable' }], [{ transaction_read_only: 'on' }]]);
  });

  it('reports an unreachable database as a connection error', async () => {
    const port = await closedPort();
    const down = neon(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
    await expect(down`SELECT 1`).rejects.toMatchObject({ code: '08006', message: expect.stringMatching(/^database connection failed/) });
  });
});

describe('WebSocket transport (Pool)', () => {
  it('runs an interactive transaction with SELECT … FOR UPDATE', async () => {
    await sql`CREATE TABLE stock (id int PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0))`;
    await sql`INSERT INTO stock VALUES (1, 5), (2, 5)`;
    const pool = wsPool();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ qty: number }>('SELECT qty FROM stock WHERE id = $1 FOR UPDATE', [1]);
      await client.query('UPDATE stock SET qty = $1 WHERE id = $2', [rows[0]!.qty - 2, 1]);
      await client.query('COMMIT');
    } finally {
      client.release();
      await endPool(pool);
    }
    expect(await sql`SELECT qty FROM stock WHERE id = 1`).toEqual([{ qty: 3 }]);
  });

  it('does not leak server connections when pools end (Terminate closes the tunnel)', async () => {
    for (let i = 0; i < MAX_CONNECTIONS * 2; i++) {
      const pool = wsPool();
      const { rows } = await pool.query('SELECT $1::int AS i', [i]);
      expect(rows).toEqual([{ i }]);
      await endPool(pool);
    }
    expect(await sql`SELECT 'still up' AS ok`).toEqual([{ ok: 'still up' }]);
  });

  it('queues clients beyond the database connection limit instead of refusing them', async () => {
    // More concurrent transactions than the database accepts connections: each waits for a tunnel.
    const results = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS * 3 }, async (_, i) => {
        const pool = wsPool();
        try {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const { rows } = await client.query<{ i: number }>('SELECT $1::int AS i', [i]);
            await client.query('COMMIT');
            return rows[0]!.i;
          } finally {
            client.release();
          }
        } finally {
          await endPool(pool);
        }
      }),
    );
    expect(results).toEqual(Array.from({ length: MAX_CONNECTIONS * 3 }, (_, i) => i));
  });

  it('serializes 20 concurrent FOR UPDATE decrements of a stock of 5', async () => {
    let sold = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const pool = wsPool();
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<{ qty: number }>('SELECT qty FROM stock WHERE id = 2 FOR UPDATE');
          if (rows[0]!.qty > 0) {
            await client.query('UPDATE stock SET qty = qty - 1 WHERE id = 2');
            sold++;
          }
          await client.query('COMMIT');
        } finally {
          client.release();
          await endPool(pool);
        }
      }),
    );
    expect(sold).toBe(5);
    expect(await sql`SELECT qty FROM stock WHERE id = 2`).toEqual([{ qty: 0 }]);
  });
});

describe('startup errors', () => {
  it('rejects a second database on an occupied port with a one-line message', async () => {
    const second = startLocalDatabase({ port: db.port });
    await expect(second).rejects.toThrow(
      new Error(`port ${db.port} is already in use — stop the other process or set PG_PORT`),
    );
  });

  it('rejects a proxy on an occupied port with a one-line message', async () => {
    await expect(startNeonProxy({ port: proxy.port })).rejects.toThrow(
      `port ${proxy.port} is already in use — stop the other process or set NEON_PROXY_PORT`,
    );
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
