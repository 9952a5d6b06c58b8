import type { TestProject } from 'vitest/node';

import { migrateDatabase } from '../scripts/db/migrate.ts';
import { seedDatabase } from '../scripts/db/seed.ts';
import { startNeonProxy } from '../scripts/local-db/neon-proxy.ts';
import { startLocalDatabase } from '../scripts/local-db/pglite.ts';
import { startRealPostgres } from '../scripts/local-db/postgres.ts';
import { generateSigningKey } from '../workers/identity/tokens.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    neonProxy: string;
    jwtPrivateKey: string;
  }
}

/**
 * One fresh database and the Neon proxy for a whole Workers test run, migrated and seeded exactly as
 * `npm start` does. Tests reset what they change. The `workers` project runs on an in-memory PGlite;
 * the `workers-pg` project (races, saga, reliability) on a throw-away PostgreSQL 15, where two
 * transactions really run at the same time.
 */
export default async function setup(project: TestProject) {
  const database = project.name === 'workers-pg' ? await startRealPostgres() : await startLocalDatabase({ maxConnections: 40 });
  const proxy = await startNeonProxy({ poolSize: 8, maxTunnels: 30 });
  await migrateDatabase(database.connectionString);
  await seedDatabase(database.connectionString);
  project.provide('databaseUrl', database.connectionString);
  project.provide('neonProxy', `127.0.0.1:${proxy.port}`);
  project.provide('jwtPrivateKey', await generateSigningKey());
  return async () => {
    await proxy.close();
    await database.close();
  };
}
