import { reset } from 'cloudflare:test';
import { afterAll } from 'vitest';

/**
 * The Workers projects run every test file in one runtime (`isolate: false` in vitest.config.ts), so the Worker is
 * imported once per project instead of once per file. What a fresh runtime per file used to give each file is
 * given back here: when a file ends, every Durable Object is deleted — its storage and its pending alarms (carts,
 * stock reservations, the stock feed, waiting rooms), which would otherwise keep firing into the next files and the
 * shared database. The database itself was always shared by the whole run; tests reset what they change there.
 */
afterAll(async () => {
  await reset();
});
