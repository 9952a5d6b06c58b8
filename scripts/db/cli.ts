/**
 * `npm run db:migrate | db:seed | db:reset` against DATABASE_URL or, without it, the embedded
 * database in .data/ (started just for the command, on free ports).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { assertPortFree, readDevVars, ROOT, startDatabase, UserFacingError } from '../lib/platform.ts';
import { migrateDatabase } from './migrate.ts';
import { seedDatabase } from './seed.ts';

const DATA_DIR = process.env.DATA_DIR ?? join(ROOT, '.data');
const command = process.argv[2];

async function main(): Promise<void> {
  if (!['migrate', 'seed', 'reset'].includes(command ?? '')) throw new UserFacingError('usage: tsx scripts/db/cli.ts migrate|seed|reset');
  if (command === 'reset') {
    if (process.env.DATABASE_URL || readDevVars().DATABASE_URL) {
      throw new UserFacingError('db:reset only wipes the embedded database; DATABASE_URL is set, so nothing was touched');
    }
    // The embedded database must not be open in a running `npm start` while its files are removed.
    await assertPortFree(Number(process.env.PG_PORT ?? 5433), 'PG_PORT').catch(() => {
      throw new UserFacingError('the shop seems to be running (the database port is in use) — stop `npm start` first');
    });
    rmSync(DATA_DIR, { recursive: true, force: true });
    console.log(`wiped ${DATA_DIR}`);
  }
  const database = await startDatabase({ dataDir: join(DATA_DIR, 'pg'), pgPort: 0, proxyPort: 0, log: () => undefined });
  try {
    await migrateDatabase(database.url);
    console.log('migrations applied');
    if (command !== 'migrate') {
      const seeded = await seedDatabase(database.url);
      console.log(`seed: added ${seeded.users} users and ${seeded.products} products, embedded ${seeded.embedded} products`);
    }
  } finally {
    await database.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`db:${command ?? '?'} failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
