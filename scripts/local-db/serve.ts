/**
 * Child-process entry for the app's start script: runs the local database and the
 * Neon proxy, then reports readiness as one JSON line on stdout so the parent can
 * wait for it without parsing logs. Everything else goes to stderr.
 *
 *   node scripts/local-db/serve.ts [--data .data/pg | --memory] [--pg-port 5433] [--proxy-port 5434]
 */
import { parseArgs } from 'node:util';
import { startNeonProxy, type NeonProxy } from './neon-proxy.ts';
import { startLocalDatabase, type LocalDatabase } from './pglite.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

let database: LocalDatabase | undefined;
let proxy: NeonProxy | undefined;
let stopping = false;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      memory: { type: 'boolean', default: false },
      'pg-port': { type: 'string' },
      'proxy-port': { type: 'string' },
      'max-connections': { type: 'string' },
    },
  });
  const pgPort = parsePort(values['pg-port'] ?? process.env.PG_PORT ?? '5433', 'PG_PORT / --pg-port');
  const proxyPort = parsePort(values['proxy-port'] ?? process.env.NEON_PROXY_PORT ?? '5434', 'NEON_PROXY_PORT / --proxy-port');
  const maxConnections = Number(values['max-connections'] ?? 40);
  if (!Number.isInteger(maxConnections) || maxConnections < 2) throw new Error('--max-connections must be an integer of at least 2');
  const dataDir = values.memory ? undefined : (values.data ?? '.data/pg');

  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  log(`local-db: starting ${dataDir === undefined ? 'in-memory database' : `database in ${dataDir}`} on port ${pgPort}`);
  database = await startLocalDatabase({ dataDir, port: pgPort, maxConnections });
  // The proxy's pool must stay below the database's limit, leaving room for WebSocket clients.
  const poolSize = Math.max(1, Math.min(10, Math.floor(maxConnections / 4)));
  // WebSocket clients share what the HTTP pool leaves; beyond that they queue in the proxy.
  proxy = await startNeonProxy({ port: proxyPort, poolSize, maxTunnels: Math.max(1, maxConnections - poolSize - 2), log });
  emit({ ready: true, connectionString: database.connectionString, proxyPort: proxy.port, pgPort: database.port });
}

function parsePort(value: string, name: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number, got "${value}"`);
  return port;
}

async function closeAll(): Promise<void> {
  await proxy?.close();
  await database?.close();
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  log('local-db: shutting down');
  closeAll().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`local-db: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

main().catch(async (error: unknown) => {
  emit({ ready: false, error: error instanceof Error ? error.message : String(error) });
  await closeAll().catch(() => {});
  process.exit(1);
});
