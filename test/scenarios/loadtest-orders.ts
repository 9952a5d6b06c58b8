/**
 * `npm run loadtest:orders` — port of the seed's script/loadtest-orders.sh: ORDER_COUNT
 * orders (default 100) at CONCURRENCY 10, then up to WAIT_SECONDS for the saga to settle, and the
 * seed's pass line "N orders, 0 PENDING, 0 DLQ". The seed read the tables with SQL; this port asks
 * the API (each order and its payment, and the admin dead-letter count) so it works on any BASE_URL.
 * It ends with the checkout invariant check (scripts/invariants.ts) over the product it ordered, reading
 * DATABASE_URL (default: the local `npm start` database on PG_PORT).
 */
import { checkInvariants, printInvariantReport } from '../../scripts/invariants.ts';
import { ADMIN, BASE_URL, call, CUSTOMER, HCM_ADDRESS, login, poll, runLimited, Tally } from './lib.ts';

const ORDER_COUNT = Number(process.env.ORDER_COUNT ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const WAIT_SECONDS = Number(process.env.WAIT_SECONDS ?? 30);

const t = new Tally('loadtest:orders');
const customer = await login(CUSTOMER.email, CUSTOMER.password);
const admin = await login(ADMIN.email, ADMIN.password);
t.check('login as customer and admin → 200', customer.status === 200 && admin.status === 200);

const deadLetters = async () => {
  const res = await call('GET', '/admin/dead-letters', { token: admin.token });
  return Number(res.body?.meta?.totalElements ?? res.body?.data?.length ?? Number.NaN);
};
const dlqBefore = await deadLetters();

let productId = 1;
for (; productId <= 10; productId++) {
  const res = await call('GET', `/inventory/${productId}`);
  if ((res.body?.data?.availableStock ?? 0) >= ORDER_COUNT) break;
}
t.check(`product ${productId} has stock for ${ORDER_COUNT} orders`, productId <= 10);

const started = performance.now();
const results = await runLimited(
  Array.from({ length: ORDER_COUNT }, () => () =>
    call('POST', '/orders', { token: customer.token, body: { items: [{ productId, quantity: 1 }], shippingAddress: HCM_ADDRESS } }),
  ),
  CONCURRENCY,
);
const seconds = (performance.now() - started) / 1000;
const created = results.filter((res) => res.status === 201).map((res) => res.body.data.id as string);
console.log(`  placed ${created.length}/${ORDER_COUNT} orders in ${seconds.toFixed(1)} s (${(ORDER_COUNT / seconds).toFixed(1)}/s)`);
t.check(`all ${ORDER_COUNT} orders accepted (201)`, created.length === ORDER_COUNT, results.filter((res) => res.status !== 201).map((res) => res.status));

const pendingOrders = async () =>
  (await runLimited(created.map((id) => () => call('GET', `/orders/${id}`, { token: customer.token })), CONCURRENCY)).filter(
    (res) => res.body?.data?.status === 'PENDING',
  ).length;
const settled = await poll(async () => ((await pendingOrders()) === 0 ? true : undefined), WAIT_SECONDS * 1000, 2_000);
const stillPending = settled ? 0 : await pendingOrders();
t.check('0 PENDING orders', stillPending === 0, stillPending);

const payments = await runLimited(created.map((id) => () => call('GET', `/payments/order/${id}`, { token: customer.token })), CONCURRENCY);
const byStatus: Record<string, number> = {};
for (const res of payments) byStatus[res.body?.data?.status ?? `HTTP ${res.status}`] = (byStatus[res.body?.data?.status ?? `HTTP ${res.status}`] ?? 0) + 1;
console.log(`  payments by status: ${JSON.stringify(byStatus)}`);
t.check('0 PENDING payments, one payment per order', (byStatus.PENDING ?? 0) === 0 && payments.every((res) => res.status === 200), byStatus);

const dlqAfter = await deadLetters();
t.check('0 new dead letters', dlqAfter - dlqBefore === 0, { before: dlqBefore, after: dlqAfter });

const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? '5433'}/postgres`;
const invariants = printInvariantReport(await checkInvariants({ databaseUrl, baseUrl: BASE_URL, token: admin.token, productIds: [productId], settleMs: WAIT_SECONDS * 1000 }));
t.check('checkout invariant holds (units sold = paid orders, stock arithmetic, refunds, no stuck PENDING/outbox)', invariants.ok, invariants.violations.slice(0, 5));

console.log(`\n${created.length} orders, ${stillPending} PENDING, ${dlqAfter - dlqBefore} DLQ`);
t.finish();
