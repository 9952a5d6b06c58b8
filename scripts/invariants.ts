/**
 * `npm run check:invariants`: reads the database and every touched StockDO of a running shop and
 * fails loudly (exit 1, one line per violation) when the checkout invariant does not hold — see
 * workers/orders/invariants.ts for the list. `DATABASE_URL` (default: the local `npm start`
 * database on PG_PORT) and `BASE_URL` (default http://127.0.0.1:8787; PORT also works) say where;
 * `INVARIANTS_SETTLE_MS` re-checks until that much time passed before calling a violation final
 * (the saga may still be finishing, e.g. a refund in flight).
 *
 * The same check as a function for the benches and scenarios: {@link checkInvariants}.
 */
import pg from 'pg';

import { gatherAndEvaluate, type InvariantReport, type StockLedger } from '../workers/orders/invariants.ts';
import { SAMPLE_USERS } from './db/seed-data.ts';

export type { InvariantReport, Violation } from '../workers/orders/invariants.ts';

export interface CheckInvariantsOptions {
  /** `postgres://` URL of the shop's database. */
  databaseUrl: string;
  /** The running Worker (its admin ledger route serves each StockDO). */
  baseUrl: string;
  /** An admin bearer token; by default the seeded admin logs in. */
  token?: string;
  /** Only these products and the orders that contain them (default: every product that was ever ordered). */
  productIds?: number[];
  /** Keep re-checking for up to this long while violations remain (default 0: one look). */
  settleMs?: number;
}

async function adminToken(baseUrl: string): Promise<string> {
  const admin = SAMPLE_USERS.find((user) => user.role === 'admin');
  if (!admin) throw new Error('the seed has no admin user');
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': '10.77.0.1' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  if (res.status !== 200) throw new Error(`admin login for the invariant check answered ${res.status}`);
  return ((await res.json()) as { data: { access_token: string } }).data.access_token;
}

/**
 * One query in its own transaction: the embedded database shares one session between its connections and keeps a
 * connection's statements together only inside a transaction (scripts/local-db/neon-proxy.ts), so a check that runs
 * while the shop is still busy would otherwise lose its prepared statement to another connection's.
 */
async function inTransaction(client: pg.Client, text: string, params: unknown[] | undefined): Promise<Record<string, unknown>[]> {
  await client.query('BEGIN');
  try {
    const result = await client.query(text, params);
    await client.query('COMMIT');
    return result.rows as Record<string, unknown>[];
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Reads the database and the touched StockDOs once or until settled; never throws on a violation (read `ok`). */
export async function checkInvariants(options: CheckInvariantsOptions): Promise<InvariantReport> {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const token = options.token ?? (await adminToken(baseUrl));
  const client = new pg.Client({ connectionString: options.databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  const readLedger = async (productId: number): Promise<StockLedger | null> => {
    const res = await fetch(`${baseUrl}/api/v1/admin/stock/${productId}/ledger`, { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': '10.77.0.1' } });
    if (res.status !== 200) throw new Error(`ledger of product ${productId} answered ${res.status}: ${await res.text()}`);
    const { data } = (await res.json()) as { data: { touched: boolean; snapshot: StockLedger['snapshot'] | null; reservations: StockLedger['reservations'] } };
    return data.touched && data.snapshot ? { snapshot: data.snapshot, reservations: data.reservations } : null;
  };
  try {
    const deadline = Date.now() + (options.settleMs ?? 0);
    for (;;) {
      const report = await gatherAndEvaluate((text, params) => inTransaction(client, text, params), readLedger, options.productIds ? { productIds: options.productIds } : {});
      if (report.ok || Date.now() >= deadline) return report;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Prints the report; returns it for the caller's own pass/fail line. */
export function printInvariantReport(report: InvariantReport, log: (line: string) => void = console.log): InvariantReport {
  if (report.ok) {
    log(`  invariants hold (${report.checked.products} products, ${report.checked.orders} orders checked)`);
  } else {
    log(`  INVARIANT VIOLATED — ${report.violations.length} violation(s) over ${report.checked.products} products, ${report.checked.orders} orders:`);
    for (const violation of report.violations.slice(0, 50)) log(`    [${violation.kind}] ${violation.message}`);
    if (report.violations.length > 50) log(`    … and ${report.violations.length - 50} more`);
  }
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = process.env.PORT ?? '8787';
  const baseUrl = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;
  const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? '5433'}/postgres`;
  console.log(`check:invariants against ${baseUrl} and its database`);
  const report = printInvariantReport(await checkInvariants({ databaseUrl, baseUrl, settleMs: Number(process.env.INVARIANTS_SETTLE_MS ?? 0) }));
  process.exit(report.ok ? 0 : 1);
}
