import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away PostgreSQL server (the machine's own binaries, with pgvector) for the tests that need real
 * concurrency: PGlite runs one transaction at a time, so two SQL transactions can never interleave on it.
 * `scripts/setup-machine.sh` installs PostgreSQL 15 and builds pgvector; `PG_BIN` points elsewhere.
 */
export type RealPostgres = { connectionString: string; close(): Promise<void> };

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why this machine cannot run a real PostgreSQL with pgvector, or undefined when it can. */
function realPostgresMissing(): string | undefined {
  if (!fs.existsSync(path.join(PG_BIN, 'pg_ctl'))) return `no PostgreSQL server binaries in ${PG_BIN}`;
  const shareDir = execFileSync(path.join(PG_BIN, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
  if (!fs.existsSync(path.join(shareDir, 'extension', 'vector.control'))) return `pgvector is not installed for ${PG_BIN}`;
  return undefined;
}

export async function startRealPostgres(opts: { maxConnections?: number } = {}): Promise<RealPostgres> {
  const missing = realPostgresMissing();
  if (missing) throw new Error(`${missing}; run \`sudo bash scripts/setup-machine.sh\` once (or set PG_BIN)`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-shop-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root; CI runs as root, so the cluster belongs to the `postgres` user there.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, uid('postgres'), gid('postgres'));
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args]] : [path.join(PG_BIN, cmd), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };

  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  // fsync off: a test database never needs to survive a crash, and it keeps two cores free for the tests.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${opts.maxConnections ?? 200} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run('pg_ctl', ['-D', dataDir, '-o', settings, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', 'CREATE DATABASE shop']);

  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/shop`,
    async close() {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const idOf = (flag: '-u' | '-g', name: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
const uid = (name: string) => idOf('-u', name);
const gid = (name: string) => idOf('-g', name);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
