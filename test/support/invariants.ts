import { neon } from '@neondatabase/serverless';
import { env } from 'cloudflare:test';
import { expect } from 'vitest';

import { stockLedger } from '@/catalog/stock';
import { stockDepsFromEnv } from '@/composition';
import { gatherAndEvaluate, gatherMoneyViolations, type InvariantReport } from '@/orders/invariants';
import { createDb } from '@/platform/db';

const stock = stockDepsFromEnv(env);

/**
 * The checkout invariant (workers/orders/invariants.ts) inside workerd: the database through the
 * Neon client, each StockDO through its stub. Scoped to `productIds` and the orders containing
 * them, because every test file shares one database.
 */
export async function checkInvariantsHere(productIds: number[]): Promise<InvariantReport> {
  createDb(env); // points the Neon driver at the local proxy
  const sql = neon(env.DATABASE_URL!);
  return gatherAndEvaluate(async (text, params) => (await sql.query(text, params)) as Record<string, unknown>[], (productId) => stockLedger(stock, productId), { productIds });
}

/** Fails the test with every violation listed. */
export async function expectInvariants(...productIds: number[]): Promise<void> {
  const report = await checkInvariantsHere(productIds);
  expect(report.violations, 'checkout invariant').toEqual([]);
  expect(report.checked.products).toBe(productIds.length);
}

/** The money invariants alone (refunds never exceed what was paid, returns, ledger) for these orders: each violation. */
export async function moneyViolationsHere(orderIds: string[]): Promise<string[]> {
  createDb(env);
  const sql = neon(env.DATABASE_URL!);
  return gatherMoneyViolations(async (text, params) => (await sql.query(text, params)) as Record<string, unknown>[], 'o.id = any($1::uuid[])', [orderIds]);
}

export async function expectMoneyInvariants(...orderIds: string[]): Promise<void> {
  expect(await moneyViolationsHere(orderIds), 'money invariants').toEqual([]);
}
