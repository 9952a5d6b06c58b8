import { env } from 'cloudflare:test';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createAdminRouter } from '@/admin/routes';
import { adminAuditLog } from '@/platform/tables';
import { createTestApp } from '@/app';
import { categories } from '@/catalog/tables';
import { createCategoriesRouter, createProductsRouter } from '@/catalog/routes';
import { adminDepsFromEnv, catalogDepsFromEnv, dbDepsFromEnv, deadLetterDepsFromEnv, identityDepsFromEnv, stockDepsFromEnv, usersDepsFromEnv } from '@/composition';
import { createIdentityRouter } from '@/identity/routes';
import { issueRefreshToken } from '@/identity/sessions';
import { emailVerifications, loginAttempts, refreshTokens, users } from '@/identity/tables';
import { createSagaAdminRouter } from '@/orders/admin-routes';
import { createOrdersRouter } from '@/orders/routes';
import { orders } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { storeDeadLetter } from '@/platform/dead-letters';
import { createRouter } from '@/platform/router';
import { deadLetters } from '@/platform/tables';
import { newId } from '@/platform/columns';
import { accountKeyOf, pairKeyPrefix } from '@/identity/lockout';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { fakeOrderDeps, FakeQueue, stageTo } from '@test/support/saga-fakes';

const fakes = fakeOrderDeps();
const adminRouter = createAdminRouter(adminDepsFromEnv);
const app = createTestApp(adminRouter);
// The routers whose admin actions must leave an audit record.
const combined = createRouter();
for (const router of [adminRouter, createSagaAdminRouter(deadLetterDepsFromEnv, stockDepsFromEnv), createIdentityRouter(identityDepsFromEnv, usersDepsFromEnv), createOrdersRouter(() => fakes.deps), createCategoriesRouter(dbDepsFromEnv), createProductsRouter(catalogDepsFromEnv)]) combined.route('/', router);
const all = createTestApp(combined);

type Envelope<T> = { success: boolean; data: T; meta?: { page: number; size: number; totalElements: number; totalPages: number }; error?: { code: string; message: string } };
type Audit = { id: number; actorId: string; actorEmail: string; action: string; targetType: string; targetId: string; before: unknown; after: unknown; createdAt: string };

const ADDRESS = { street: '1 Main St', city: 'Springfield', state: 'SP', country: 'US', zipCode: '12345' };

async function call<T>(target: typeof app, method: string, path: string, user: TestUser | null, body?: unknown, testEnv: object = env) {
  const res = await target.request(
    path,
    { method, headers: user ? jsonHeaders(user) : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
    testEnv,
  );
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Envelope<T> };
}

async function insertOrder(buyer: TestUser, sellerId: string, status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' = 'CONFIRMED', totalCents = 12_345, createdAt = new Date()) {
  const [row] = await createDb(env).insert(orders).values({ userId: buyer.id, sellerId, status, subtotalCents: totalCents, totalCents, shippingAddress: ADDRESS, createdAt, updatedAt: createdAt }).returning();
  return row!;
}

const auditFor = async (admin: TestUser, targetType: string, targetId: string | number) =>
  (await call<Audit[]>(app, 'GET', `/api/v1/admin/audit-log?targetType=${targetType}&targetId=${targetId}`, admin)).body.data;

describe('GET /api/v1/admin/summary', () => {
  it('counts orders, revenue, statuses, old PENDING orders and dead letters; admins only', async () => {
    const [admin, buyer, seller, customer] = await Promise.all([createTestUser('admin'), createTestUser(), createTestUser('seller'), createTestUser()]);
    const before = await call<{ periods: { today: { orders: number; revenue: number }; last30Days: { orders: number } }; deadLettersWaiting: number; pendingOlderThan5m: number }>(app, 'GET', '/api/v1/admin/summary', admin);
    expect(before.status).toBe(200);

    await insertOrder(buyer, seller.id, 'CONFIRMED', 10_000);
    await insertOrder(buyer, seller.id, 'PENDING', 5_000, new Date(Date.now() - 10 * 60_000));
    await storeDeadLetter(createDb(env), { queue: 'payment-events', messageId: `m-${newId()}`, body: { type: 'payment.completed', orderId: newId() }, stage: 'process', reason: 'boom', attempts: 5 });

    const res = await call<{
      periods: { today: { orders: number; revenue: number }; last7Days: { orders: number }; last30Days: { orders: number } };
      daily: { date: string; orders: number; revenue: number }[];
      ordersByStatus: Record<string, number>;
      pendingOlderThan5m: number;
      outboxUnpublished: number;
      deadLettersWaiting: number;
      health: { database: { status: string }; queue: { status: string } };
    }>(app, 'GET', '/api/v1/admin/summary', admin);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.daily).toHaveLength(30);
    expect(data.daily.at(-1)!.date).toBe(new Date().toISOString().slice(0, 10));
    // Other test files write orders concurrently: the figures grew by at least what this test added. The PENDING order
    // is 10 minutes old, so "today" (UTC) is only sure to hold the CONFIRMED one; the 30 days hold both.
    expect(data.periods.today.orders).toBeGreaterThanOrEqual(before.body.data.periods.today.orders + 1);
    expect(data.periods.last30Days.orders).toBeGreaterThanOrEqual(before.body.data.periods.last30Days.orders + 2);
    expect(data.periods.today.revenue).toBeGreaterThanOrEqual(before.body.data.periods.today.revenue + 100);
    expect(data.periods.last7Days.orders).toBeGreaterThanOrEqual(data.periods.today.orders);
    expect(data.periods.last30Days.orders).toBeGreaterThanOrEqual(data.periods.last7Days.orders);
    expect(Object.keys(data.ordersByStatus).sort()).toEqual(['CANCELLED', 'CONFIRMED', 'DELIVERED', 'PENDING', 'SHIPPED']);
    expect(data.ordersByStatus.PENDING).toBeGreaterThanOrEqual(1);
    expect(data.pendingOlderThan5m).toBeGreaterThanOrEqual(before.body.data.pendingOlderThan5m + 1);
    expect(data.deadLettersWaiting).toBeGreaterThanOrEqual(1);
    expect(data.health.database.status).toBe('UP');
    expect(['UP', 'DOWN']).toContain(data.health.queue.status);

    expect((await call(app, 'GET', '/api/v1/admin/summary', customer)).status).toBe(403);
    expect((await call(app, 'GET', '/api/v1/admin/summary', seller)).status).toBe(403);
    expect((await call(app, 'GET', '/api/v1/admin/summary', null)).status).toBe(401);
  });
});

describe('admin audit log', () => {
  it('records a role change with before/after in the same transaction, ends the session, and pages like every list', async () => {
    const [admin, target] = await Promise.all([createTestUser('admin'), createTestUser()]);
    await issueRefreshToken(createDb(env), { userId: target.id, client: { ip: '10.0.0.1', userAgent: 'test' }, now: new Date() });

    const changed = await call<{ role: string }>(all, 'PUT', `/api/v1/admin/users/${target.id}/role`, admin, { role: 'seller' });
    expect(changed.status).toBe(200);
    expect(changed.body.data.role).toBe('seller');
    // The old token no longer works and no refresh token is left to mint a new one.
    expect((await call(all, 'GET', '/api/v1/users/profile', target)).status).toBe(401);
    expect(await createDb(env).select().from(refreshTokens).where(and(eq(refreshTokens.userId, target.id), isNull(refreshTokens.revokedAt)))).toEqual([]);

    const [entry] = await auditFor(admin, 'user', target.id);
    expect(entry).toMatchObject({ actorId: admin.id, actorEmail: admin.email, action: 'user.role_changed', before: { role: 'customer' }, after: { role: 'seller' } });

    // A refused change (unknown user) writes nothing.
    const ghost = newId();
    expect((await call(all, 'PUT', `/api/v1/admin/users/${ghost}/role`, admin, { role: 'seller' })).status).toBe(404);
    expect(await auditFor(admin, 'user', ghost)).toEqual([]);

    // Paging: size 1 gives one row and the usual meta.
    const paged = await call<Audit[]>(app, 'GET', `/api/v1/admin/audit-log?size=1&page=1&actorId=${admin.id}`, admin);
    expect(paged.status).toBe(200);
    expect(paged.body.data).toHaveLength(1);
    expect(paged.body.meta).toMatchObject({ page: 1, size: 1, totalElements: 1, totalPages: 1 });
  });

  it('an admin can be demoted while another admin remains', async () => {
    const [admin, other] = await Promise.all([createTestUser('admin'), createTestUser('admin')]);
    const res = await call<{ role: string }>(all, 'PUT', `/api/v1/admin/users/${other.id}/role`, admin, { role: 'customer' });
    expect(res.status).toBe(200);
    expect((await auditFor(admin, 'user', other.id))[0]).toMatchObject({ before: { role: 'admin' }, after: { role: 'customer' } });
  });

  it('records admin order transitions but not the seller’s own', async () => {
    const [admin, buyer, seller] = await Promise.all([createTestUser('admin'), createTestUser(), createTestUser('seller')]);
    const byAdmin = await insertOrder(buyer, seller.id, 'CONFIRMED');
    const bySeller = await insertOrder(buyer, seller.id, 'CONFIRMED');
    const queue = new FakeQueue();
    const testEnv = { ...env, ...stageTo('order-events', queue.asQueue()) };

    expect((await call(all, 'PUT', `/api/v1/orders/${byAdmin.id}/ship`, admin, undefined, testEnv)).status).toBe(200);
    expect((await call(all, 'PUT', `/api/v1/orders/${bySeller.id}/ship`, seller, undefined, testEnv)).status).toBe(200);
    expect((await call(all, 'PUT', `/api/v1/orders/${byAdmin.id}/deliver`, admin, undefined, testEnv)).status).toBe(200);
    // A stale action is refused and leaves no record.
    expect((await call(all, 'PUT', `/api/v1/orders/${byAdmin.id}/cancel`, admin, undefined, testEnv)).status).toBe(409);

    const entries = await auditFor(admin, 'order', byAdmin.id);
    expect(entries.map((e) => e.action)).toEqual(['order.delivered', 'order.shipped']);
    expect(entries[1]).toMatchObject({ before: { status: 'CONFIRMED' }, after: { status: 'SHIPPED' } });
    expect(await auditFor(admin, 'order', bySeller.id)).toEqual([]);

    const cancelled = await insertOrder(buyer, seller.id, 'PENDING');
    expect((await call(all, 'PUT', `/api/v1/orders/${cancelled.id}/cancel`, admin, { reason: 'fraud check' }, testEnv)).status).toBe(200);
    expect((await auditFor(admin, 'order', cancelled.id))[0]).toMatchObject({ action: 'order.cancelled', before: { status: 'PENDING' }, after: { status: 'CANCELLED', reason: 'fraud check' } });
  });

  it('records a dead-letter replay once; a failed send leaves neither the claim nor the record', async () => {
    const admin = await createTestUser('admin');
    const orderId = newId();
    await storeDeadLetter(createDb(env), { queue: 'order-events', messageId: `m-${orderId}`, body: { type: 'order.created', orderId, correlationId: 'c', version: 1 }, stage: 'process', reason: 'boom', attempts: 5 });
    const [row] = await createDb(env).select().from(deadLetters).where(eq(deadLetters.originalKey, orderId));
    const queue = new FakeQueue();
    queue.failing = true;
    const down = await call(all, 'POST', `/api/v1/admin/dead-letters/${row!.id}/replay`, admin, undefined, { ...env, ...stageTo('order-events', queue.asQueue()) });
    expect(down.status).toBe(503);
    expect(await auditFor(admin, 'dead_letter', row!.id)).toEqual([]);

    queue.failing = false;
    const testEnv = { ...env, ...stageTo('order-events', queue.asQueue()) };
    expect((await call<{ requeued: boolean }>(all, 'POST', `/api/v1/admin/dead-letters/${row!.id}/replay`, admin, undefined, testEnv)).body.data.requeued).toBe(true);
    expect((await call<{ requeued: boolean }>(all, 'POST', `/api/v1/admin/dead-letters/${row!.id}/replay`, admin, undefined, testEnv)).body.data.requeued).toBe(false);
    expect(queue.sent).toHaveLength(1);
    const entries = await auditFor(admin, 'dead_letter', row!.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'dead_letter.replayed', after: { queue: 'order-events', orderId } });
  });

  it('records product hide/restore and category management by admins', async () => {
    const [admin, seller] = await Promise.all([createTestUser('admin'), createTestUser('seller')]);
    const product = await createTestProduct(seller.id);
    expect((await call(all, 'PUT', `/api/v1/products/${product.id}`, admin, { status: 'INACTIVE' })).status).toBe(200);
    expect((await call(all, 'PUT', `/api/v1/products/${product.id}`, admin, { status: 'ACTIVE' })).status).toBe(200);
    expect((await call(all, 'PUT', `/api/v1/products/${product.id}`, seller, { name: 'Seller rename' })).status).toBe(200);
    const productEntries = await auditFor(admin, 'product', product.id);
    expect(productEntries.map((e) => e.action)).toEqual(['product.restored', 'product.hidden']);
    expect(productEntries[1]).toMatchObject({ before: { status: 'ACTIVE' }, after: { status: 'INACTIVE' } });

    const created = await call<{ id: number }>(all, 'POST', '/api/v1/categories', admin, { name: `Audit ${crypto.randomUUID().slice(0, 8)}` });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await call(app, 'PUT', `/api/v1/admin/categories/${id}`, admin, { name: 'Renamed by admin' })).body.data).toMatchObject({ id, name: 'Renamed by admin' });
    const child = await call<{ id: number }>(all, 'POST', '/api/v1/categories', seller, { name: `Child ${crypto.randomUUID().slice(0, 8)}`, parentId: id });
    expect(child.status).toBe(201);
    const inUse = await call(app, 'DELETE', `/api/v1/admin/categories/${id}`, admin);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error?.code).toBe('CATEGORY_IN_USE');
    expect((await call(app, 'DELETE', `/api/v1/admin/categories/${child.body.data.id}`, admin)).status).toBe(204);
    expect((await call(app, 'DELETE', `/api/v1/admin/categories/${id}`, admin)).status).toBe(204);
    expect(await createDb(env).select().from(categories).where(eq(categories.id, id))).toEqual([]);
    expect((await auditFor(admin, 'category', id)).map((e) => e.action)).toEqual(['category.deleted', 'category.renamed', 'category.created']);
    // The seller's child category was created without a record; its deletion by the admin has one.
    expect((await auditFor(admin, 'category', child.body.data.id)).map((e) => e.action)).toEqual(['category.deleted']);
    expect((await call(app, 'PUT', '/api/v1/admin/categories/999999999', admin, { name: 'x' })).status).toBe(404);
  });

  it('rejects bad filters with 400 and non-admins with 403', async () => {
    const [admin, customer] = await Promise.all([createTestUser('admin'), createTestUser()]);
    expect((await call(app, 'GET', '/api/v1/admin/audit-log?targetType=planet', admin)).status).toBe(400);
    expect((await call(app, 'GET', '/api/v1/admin/audit-log?size=1000', admin)).status).toBe(400);
    expect((await call(app, 'GET', '/api/v1/admin/audit-log?from=yesterday', admin)).status).toBe(400);
    expect((await call(app, 'GET', '/api/v1/admin/audit-log', customer)).status).toBe(403);
    expect((await call(app, 'GET', '/api/v1/admin/audit-log', null)).status).toBe(401);
  });
});

describe('admin order search and detail', () => {
  it('finds orders by short number, buyer e-mail, seller, status and date range', async () => {
    const [admin, buyer, seller, otherBuyer] = await Promise.all([createTestUser('admin'), createTestUser(), createTestUser('seller'), createTestUser()]);
    const old = await insertOrder(buyer, seller.id, 'SHIPPED', 2_000, new Date('2026-01-10T12:00:00Z'));
    const recent = await insertOrder(buyer, seller.id, 'CONFIRMED', 3_000);
    await insertOrder(otherBuyer, seller.id, 'CONFIRMED', 4_000);
    type Row = { id: string; orderNumber: string; buyerEmail: string; sellerEmail: string; status: string; totalAmount: number };
    const search = async (query: string) => (await call<Row[]>(app, 'GET', `/api/v1/admin/orders?${query}`, admin)).body;

    const short = recent.id.replaceAll('-', '').slice(-8).toUpperCase();
    const byNumber = await search(`orderNumber=${short}`);
    expect(byNumber.data.map((r) => r.id)).toEqual([recent.id]);
    expect(byNumber.data[0]).toMatchObject({ orderNumber: short, buyerEmail: buyer.email, sellerEmail: seller.email, totalAmount: 30 });
    expect((await search(`orderNumber=${recent.id}`)).data.map((r) => r.id)).toEqual([recent.id]);
    expect((await search(`buyerEmail=${encodeURIComponent(buyer.email.toUpperCase())}`)).data.map((r) => r.id)).toEqual([recent.id, old.id]);
    expect((await search(`seller=${encodeURIComponent(seller.email)}&status=SHIPPED`)).data.map((r) => r.id)).toEqual([old.id]);
    expect((await search(`seller=${seller.id}`)).meta?.totalElements).toBe(3);
    expect((await search(`buyerEmail=${encodeURIComponent(buyer.email)}&from=2026-01-01&to=2026-02-01`)).data.map((r) => r.id)).toEqual([old.id]);
    expect((await search('buyerEmail=nobody@nowhere.test')).data).toEqual([]);
    expect((await call(app, 'GET', '/api/v1/admin/orders?status=LOST', admin)).status).toBe(400);
    expect((await call(app, 'GET', '/api/v1/admin/orders?from=2026-13-45', admin)).status).toBe(400);

    const detail = await call<{ orderNumber: string; buyerEmail: string; history: unknown[]; payment: unknown; order: { id: string } }>(app, 'GET', `/api/v1/admin/orders/${recent.id}`, admin);
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({ orderNumber: short, buyerEmail: buyer.email, payment: null, order: { id: recent.id } });
    expect((await call(app, 'GET', `/api/v1/admin/orders/${newId()}`, admin)).status).toBe(404);
    expect((await call(app, 'GET', '/api/v1/admin/orders/not-a-uuid', admin)).status).toBe(400);
    expect((await call(app, 'GET', `/api/v1/admin/orders/${recent.id}`, buyer)).status).toBe(403);
  });
});

describe('admin users', () => {
  it('searches users with role, verification and lock state; unlocks and resends verification with audit records', async () => {
    const [admin, customer] = await Promise.all([createTestUser('admin'), createTestUser()]);
    const db = createDb(env);
    await db.update(users).set({ isVerified: false }).where(eq(users.id, customer.id));
    const email = customer.email.toLowerCase();
    await db.insert(loginAttempts).values([
      { email, failures: 5, lockedUntil: new Date(Date.now() + 10 * 60_000) },
      { email: `${await pairKeyPrefix(email)}abc`, failures: 5, lockedUntil: new Date(Date.now() + 10 * 60_000) },
      // The account-wide ceiling (hardening item 2): an operator's unlock clears it too.
      { email: await accountKeyOf(email), failures: 12, lockedUntil: new Date(Date.now() + 60_000) },
    ]);

    type Row = { id: string; email: string; role: string; isVerified: boolean; lockedUntil: string | null };
    const found = await call<Row[]>(app, 'GET', `/api/v1/admin/users?q=${encodeURIComponent(customer.email.slice(0, 20))}`, admin);
    expect(found.status).toBe(200);
    expect(found.body.data.find((u) => u.id === customer.id)).toMatchObject({ role: 'customer', isVerified: false, lockedUntil: expect.any(String) });
    expect((await call<Row[]>(app, 'GET', '/api/v1/admin/users?state=locked&size=100', admin)).body.data.map((u) => u.id)).toContain(customer.id);
    expect((await call<Row[]>(app, 'GET', `/api/v1/admin/users?role=admin&q=${customer.id}`, admin)).body.data).toEqual([]);

    // An account slowed down by the ceiling alone shows as locked until its wait ends.
    const throttled = await createTestUser();
    const throttledUntil = new Date(Date.now() + 5 * 60_000);
    await db.insert(loginAttempts).values({ email: await accountKeyOf(throttled.email.toLowerCase()), failures: 12, lockedUntil: throttledUntil });
    const throttledRow = (await call<Row[]>(app, 'GET', `/api/v1/admin/users?q=${throttled.id}`, admin)).body.data[0]!;
    expect(throttledRow.lockedUntil).toBe(throttledUntil.toISOString());

    const unlocked = await call<{ unlocked: boolean }>(app, 'POST', `/api/v1/admin/users/${customer.id}/unlock`, admin);
    expect(unlocked.body.data.unlocked).toBe(true);
    const remaining = await db.select().from(loginAttempts).where(inArray(loginAttempts.email, [email, `${await pairKeyPrefix(email)}abc`, await accountKeyOf(email)]));
    expect(remaining).toEqual([]);
    expect((await call<Row[]>(app, 'GET', `/api/v1/admin/users?q=${customer.id}`, admin)).body.data[0]!.lockedUntil).toBeNull();

    const resent = await call<{ sent: boolean }>(app, 'POST', `/api/v1/admin/users/${customer.id}/resend-verification`, admin);
    expect(resent.status).toBe(200);
    expect((await db.select().from(emailVerifications).where(eq(emailVerifications.email, email))).length).toBe(1);
    const actions = (await auditFor(admin, 'user', customer.id)).map((e) => e.action);
    expect(actions).toEqual(['user.verification_resent', 'user.unlocked']);

    const verified = await call(app, 'POST', `/api/v1/admin/users/${admin.id}/resend-verification`, admin);
    expect(verified.status).toBe(409);
    expect(verified.body.error?.code).toBe('ALREADY_VERIFIED');
    expect((await call(app, 'POST', `/api/v1/admin/users/${newId()}/unlock`, admin)).status).toBe(404);
    expect((await call(app, 'POST', `/api/v1/admin/users/${customer.id}/unlock`, customer)).status).toBe(403);
    expect((await call(app, 'GET', '/api/v1/admin/users?role=king', admin)).status).toBe(400);
    // Nothing the refused calls did was recorded.
    expect((await db.select().from(adminAuditLog).where(eq(adminAuditLog.targetId, customer.id))).length).toBe(2);
  });
});
