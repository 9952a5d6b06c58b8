import { join } from 'node:path';

import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

const MIGRATIONS_DIR = join(import.meta.dirname, '../../migrations');

/** Applies the committed drizzle-kit migrations; already-applied ones are skipped (tracked in `drizzle.__drizzle_migrations`). */
export async function migrateDatabase(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.end().catch(() => undefined);
  }
}
