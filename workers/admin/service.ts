/**
 * The operator console's reads and actions (summary, searches, user and catalog moderation). Each action writes
 * its audit row in the same transaction; the reads are the console's own joins over several domains' tables
 * (listed in scripts/domain-boundaries.json). Over 300 lines on purpose: one screen of the console per section.
 */
import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

import { listAuditLog, recordAdminAction, type AuditActor } from '@/platform/audit';
import { amountToCents, centsToAmount } from '@contract/money';
import { categories, products } from '@/catalog/tables';
import type { AppEnv } from '@/env';
import { accountKeyOf, allLoginFailuresOf, deleteLoginRecords, pairKeyPrefix, sha256Hex, sixDigitCode, verificationEmail, VERIFICATION_CODE_TTL_MS, type EmailSender } from '@/identity';
import { emailVerifications, loginAttempts, userProfiles, users, type UserRole } from '@/identity/tables';
import { shortOrderNumber } from '@/notifications';
import { orderSummaryColumns, toOrderResponse } from '@/orders';
import { orderItems, orders, orderStatusHistory, outbox, ORDER_STATUSES, type OrderStatus } from '@/orders/tables';
import { toPaymentResponse } from '@/payments';
import { paymentHistory, payments } from '@/payments/tables';
import type { Db, DbDeps, Queryable } from '@/platform/db';
import { conflict, notFound } from '@/platform/errors';
import type { Logger } from '@/platform/logger';
import { pageMeta, pageOffset, type Sort } from '@/platform/pagination';
import { deadLetters } from '@/platform/tables';

/** What the console's routes need: the request's database and the configured e-mail transport. */
export interface AdminDeps extends DbDeps {
  email: EmailSender;
}

/** Builds a request's {@link AdminDeps} (the composition root's `adminDepsFromEnv`). */
export type MakeAdminDeps = (env: AppEnv, logger: Logger) => AdminDeps;

/** Orders in these states have been paid; their totals are revenue. */
const PAID_STATUSES = ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const satisfies readonly OrderStatus[];
/** A PENDING order older than this is worth a look (payment normally settles within seconds). */
const PENDING_ALERT_MINUTES = 5;
/** Unpublished outbox rows older than this mean events are not reaching the queue. */
const OUTBOX_STALE_SECONDS = 300;
const SUMMARY_DAYS = 30;

const DAY_MS = 86_400_000;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

export interface DailyFigure {
  date: string;
  orders: number;
  revenue: number;
}

/**
 * The operator's overview in one round of parallel, index-backed queries: the last 30 UTC days of
 * orders (range scan on `orders_created_idx`), counts per status and old PENDING orders
 * (`orders_status_created_idx`), unpublished outbox rows (partial index) and open dead letters
 * (partial index), plus a timed database round trip. `orderEventsBound`: the saga's producer binding exists.
 */
export async function adminSummary(db: Db, orderEventsBound: boolean, now = new Date()) {
  const todayStart = Date.parse(`${utcDay(now)}T00:00:00Z`);
  const windowStart = new Date(todayStart - (SUMMARY_DAYS - 1) * DAY_MS);
  const started = performance.now();
  const [daily, byStatus, [pendingOld], [outboxRow], [dlq]] = await Promise.all([
    db
      .select({
        day: sql<string>`to_char(date_trunc('day', ${orders.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
        orders: count(),
        revenueCents: sql<number>`coalesce(sum(${orders.totalCents}) filter (where ${inArray(orders.status, [...PAID_STATUSES])}), 0)`.mapWith(Number),
      })
      .from(orders)
      .where(gte(orders.createdAt, windowStart))
      .groupBy(sql`1`),
    db.select({ status: orders.status, total: count() }).from(orders).groupBy(orders.status),
    db
      .select({ total: count() })
      .from(orders)
      .where(and(eq(orders.status, 'PENDING'), lt(orders.createdAt, sql`now() - make_interval(mins => ${PENDING_ALERT_MINUTES})`))),
    db
      .select({
        total: count(),
        stale: sql<number>`count(*) filter (where ${outbox.createdAt} < now() - make_interval(secs => ${OUTBOX_STALE_SECONDS}))`.mapWith(Number),
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt)),
    db.select({ total: count() }).from(deadLetters).where(isNull(deadLetters.replayedAt)),
  ]);
  const latencyMs = Math.round(performance.now() - started);

  const byDay = new Map(daily.map((row) => [row.day, row]));
  const series: DailyFigure[] = [];
  for (let i = SUMMARY_DAYS - 1; i >= 0; i--) {
    const date = utcDay(new Date(todayStart - i * DAY_MS));
    const row = byDay.get(date);
    series.push({ date, orders: row?.orders ?? 0, revenue: centsToAmount(row?.revenueCents ?? 0) });
  }
  const window = (days: number) => {
    const slice = series.slice(-days);
    const cents = slice.reduce((sum, day) => sum + amountToCents(day.revenue), 0);
    return { orders: slice.reduce((sum, day) => sum + day.orders, 0), revenue: centsToAmount(cents) };
  };
  const statusCounts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>;
  for (const row of byStatus) statusCounts[row.status] = row.total;
  const staleOutbox = outboxRow?.stale ?? 0;
  return {
    generatedAt: now.toISOString(),
    currency: 'USD',
    periods: { today: window(1), last7Days: window(7), last30Days: window(30) },
    daily: series,
    ordersByStatus: statusCounts,
    pendingOlderThan5m: pendingOld?.total ?? 0,
    outboxUnpublished: outboxRow?.total ?? 0,
    deadLettersWaiting: dlq?.total ?? 0,
    health: {
      database: { status: 'UP' as const, latencyMs },
      queue: { status: orderEventsBound && staleOutbox === 0 ? ('UP' as const) : ('DOWN' as const), staleOutboxRows: staleOutbox },
    },
  };
}

export { listAuditLog };

// ---------------------------------------------------------------------------------------------
// Orders search and detail

export interface AdminOrderQuery {
  page: number;
  size: number;
  sort: Sort<'createdAt' | 'totalAmount'>;
  orderNumber?: string | undefined;
  buyerEmail?: string | undefined;
  seller?: string | undefined;
  status?: OrderStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const buyers = alias(users, 'buyers');
const sellers = alias(users, 'sellers');
/** The short order number shown to people: the last 8 hex digits of the id (matches the expression index). */
const shortNumberSql = sql`right(replace(${orders.id}::text, '-', ''), 8)`;
const usersByEmail = (email: string) => sql`(select ${users.id} from ${users} where lower(${users.email}) = ${email.toLowerCase()})`;

export async function searchOrders(db: Db, query: AdminOrderQuery) {
  const number = query.orderNumber?.trim().replace(/^#/, '');
  const seller = query.seller?.trim();
  const filters: (SQL | undefined)[] = [
    number ? (UUID.test(number) ? eq(orders.id, number.toLowerCase()) : sql`${shortNumberSql} = ${number.toLowerCase()}`) : undefined,
    query.buyerEmail ? sql`${orders.userId} in ${usersByEmail(query.buyerEmail.trim())}` : undefined,
    seller ? (UUID.test(seller) ? eq(orders.sellerId, seller.toLowerCase()) : sql`${orders.sellerId} in ${usersByEmail(seller)}`) : undefined,
    query.status ? eq(orders.status, query.status) : undefined,
    query.from ? gte(orders.createdAt, query.from) : undefined,
    query.to ? lt(orders.createdAt, query.to) : undefined,
  ];
  const where = and(...filters);
  const direction = query.sort.direction === 'ASC' ? asc : desc;
  const column = query.sort.field === 'totalAmount' ? orders.totalCents : orders.createdAt;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: orders.id,
        status: orders.status,
        totalCents: orders.totalCents,
        currency: orders.currency,
        userId: orders.userId,
        sellerId: orders.sellerId,
        buyerEmail: buyers.email,
        sellerEmail: sellers.email,
        createdAt: orders.createdAt,
        updatedAt: orders.updatedAt,
        itemCount: orderSummaryColumns.itemCount,
      })
      .from(orders)
      .leftJoin(buyers, eq(buyers.id, orders.userId))
      .leftJoin(sellers, eq(sellers.id, orders.sellerId))
      .where(where)
      .orderBy(direction(column), direction(orders.id))
      .limit(query.size)
      .offset(pageOffset(query)),
    db.select({ total: count() }).from(orders).where(where),
  ]);
  return {
    data: rows.map((row) => ({
      id: row.id,
      orderNumber: shortOrderNumber(row.id),
      status: row.status,
      totalAmount: centsToAmount(row.totalCents),
      currency: row.currency,
      itemCount: row.itemCount,
      buyerId: row.userId,
      buyerEmail: row.buyerEmail,
      sellerId: row.sellerId,
      sellerEmail: row.sellerEmail,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    })),
    meta: pageMeta(query.page, query.size, total?.total ?? 0),
  };
}

/** Everything the operator's order page shows, in one read. */
export async function adminOrderDetail(db: Db, orderId: string) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw notFound('ORDER_NOT_FOUND', 'Order not found');
  const [items, history, [payment], people] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.productId)),
    db.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, orderId)).orderBy(asc(orderStatusHistory.changedAt), asc(orderStatusHistory.id)),
    // Its own payment, or (one seller's part of a checkout) the checkout's one payment.
    db.select().from(payments).where(order.checkoutId === null ? eq(payments.orderId, orderId) : eq(payments.checkoutId, order.checkoutId)),
    db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [order.userId, order.sellerId])),
  ]);
  const paymentEvents = payment
    ? await db.select().from(paymentHistory).where(eq(paymentHistory.paymentId, payment.id)).orderBy(asc(paymentHistory.createdAt), asc(paymentHistory.id))
    : [];
  const emailOf = (id: string) => people.find((person) => person.id === id)?.email ?? null;
  return {
    order: toOrderResponse(order, items),
    orderNumber: shortOrderNumber(order.id),
    buyerEmail: emailOf(order.userId),
    sellerEmail: emailOf(order.sellerId),
    history: history.map((row) => ({ id: row.id, oldStatus: row.oldStatus, newStatus: row.newStatus, reason: row.reason, changedBy: row.changedBy, changedAt: row.changedAt.toISOString() })),
    payment: payment ? toPaymentResponse(payment) : null,
    paymentHistory: paymentEvents.map((row) => ({ id: row.id, oldStatus: row.oldStatus, newStatus: row.newStatus, reason: row.reason, createdAt: row.createdAt.toISOString() })),
  };
}

// ---------------------------------------------------------------------------------------------
// Users

export interface AdminUserQuery {
  page: number;
  size: number;
  q?: string | undefined;
  role?: UserRole | undefined;
  state?: 'locked' | 'unverified' | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
/**
 * The later of the email's lock and the account-wide ceiling's wait (its key is `accountKeyOf(email)`, the same
 * SHA-256 prefix computed in SQL), if either is still running.
 */
const lockedUntilSql = sql<Date | null>`(select max(${loginAttempts.lockedUntil}) from ${loginAttempts} where ${loginAttempts.email} in (lower(${users.email}), 'account:' || left(encode(sha256(convert_to(lower(${users.email}), 'UTF8')), 'hex'), 32)) and ${loginAttempts.lockedUntil} > now())`;

export async function searchUsers(db: Db, query: AdminUserQuery) {
  const q = query.q?.trim();
  const pattern = q ? `%${escapeLike(q)}%` : undefined;
  const filters: (SQL | undefined)[] = [
    isNull(users.deletedAt),
    pattern ? or(ilike(users.email, pattern), ilike(userProfiles.firstName, pattern), ilike(userProfiles.lastName, pattern), UUID.test(q ?? '') ? eq(users.id, q!.toLowerCase()) : undefined) : undefined,
    query.role ? eq(users.role, query.role) : undefined,
    query.state === 'unverified' ? eq(users.isVerified, false) : undefined,
    query.state === 'locked' ? sql`${lockedUntilSql} is not null` : undefined,
  ];
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        role: users.role,
        isVerified: users.isVerified,
        createdAt: users.createdAt,
        firstName: userProfiles.firstName,
        lastName: userProfiles.lastName,
        lockedUntil: sql<string | null>`${lockedUntilSql}`.mapWith((value: unknown) => (value === null ? null : new Date(value as string).toISOString())),
      })
      .from(users)
      .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(query.size)
      .offset(pageOffset(query)),
    db.select({ total: count() }).from(users).leftJoin(userProfiles, eq(userProfiles.userId, users.id)).where(where),
  ]);
  return {
    data: rows.map((row) => ({
      id: row.id,
      email: row.email,
      firstName: row.firstName ?? '',
      lastName: row.lastName ?? '',
      role: row.role,
      isVerified: row.isVerified,
      lockedUntil: row.lockedUntil,
      createdAt: row.createdAt.toISOString(),
    })),
    meta: pageMeta(query.page, query.size, total?.total ?? 0),
  };
}

async function findUser(q: Queryable, userId: string) {
  const [user] = await q
    .select({ id: users.id, email: users.email, isVerified: users.isVerified })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user) throw notFound('USER_NOT_FOUND', 'User not found');
  return user;
}

/** Clears every login-failure record of the account (its own, per client address, and the account-wide ceiling). */
export async function unlockUser(deps: DbDeps, actor: AuditActor, userId: string) {
  return deps.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    const email = user.email.toLowerCase();
    const accountKey = await accountKeyOf(email);
    const cleared = await deleteLoginRecords(tx, allLoginFailuresOf(email, await pairKeyPrefix(email), accountKey)).returning({ email: loginAttempts.email, failures: loginAttempts.failures, lockedUntil: loginAttempts.lockedUntil });
    const own = cleared.find((row) => row.email === email);
    const ceiling = cleared.find((row) => row.email === accountKey);
    const before = {
      failures: own?.failures ?? 0,
      lockedUntil: own?.lockedUntil?.toISOString() ?? null,
      addressRecords: cleared.length - (own ? 1 : 0) - (ceiling ? 1 : 0),
      // The account-wide ceiling (hardening item 2): failures in its day and when the next attempt was allowed.
      accountFailures: ceiling?.failures ?? 0,
      accountWaitUntil: ceiling?.lockedUntil?.toISOString() ?? null,
    };
    await recordAdminAction(tx, { actor, action: 'user.unlocked', targetType: 'user', targetId: userId, before, after: { failures: 0, lockedUntil: null } });
    return { unlocked: cleared.length > 0 };
  });
}

/** Issues a fresh verification code to an unverified account; returns the e-mail to send after commit. */
export async function resendUserVerification(deps: DbDeps, actor: AuditActor, userId: string) {
  const code = sixDigitCode();
  const codeHash = await sha256Hex(code);
  const email = await deps.transaction(async (tx) => {
    const user = await findUser(tx, userId);
    if (user.isVerified) throw conflict('ALREADY_VERIFIED', 'This account is already verified');
    const normalized = user.email.toLowerCase();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + VERIFICATION_CODE_TTL_MS);
    await tx
      .insert(emailVerifications)
      .values({ email: normalized, codeHash, expiresAt, attempts: 0, lastSentAt: now })
      .onConflictDoUpdate({ target: emailVerifications.email, set: { codeHash, expiresAt, attempts: 0, lastSentAt: now } });
    await recordAdminAction(tx, { actor, action: 'user.verification_resent', targetType: 'user', targetId: userId, after: { expiresAt: expiresAt.toISOString() } });
    return normalized;
  });
  return verificationEmail(email, code);
}

// ---------------------------------------------------------------------------------------------
// Categories

export async function renameCategory(deps: DbDeps, actor: AuditActor, id: number, name: string) {
  return deps.transaction(async (tx) => {
    const [current] = await tx.select().from(categories).where(eq(categories.id, id)).for('update');
    if (!current) throw notFound('CATEGORY_NOT_FOUND', 'Category not found');
    const [updated] = await tx.update(categories).set({ name, updatedAt: new Date() }).where(eq(categories.id, id)).returning();
    await recordAdminAction(tx, { actor, action: 'category.renamed', targetType: 'category', targetId: id, before: { name: current.name }, after: { name } });
    return { id: updated!.id, name: updated!.name, slug: updated!.slug, parentId: updated!.parentId };
  });
}

/** Deletes an empty category; one with products or subcategories is refused (409 `CATEGORY_IN_USE`). */
export async function deleteCategory(deps: DbDeps, actor: AuditActor, id: number) {
  await deps.transaction(async (tx) => {
    const [current] = await tx.select().from(categories).where(eq(categories.id, id)).for('update');
    if (!current) throw notFound('CATEGORY_NOT_FOUND', 'Category not found');
    const [[children], [used]] = await Promise.all([
      tx.select({ total: count() }).from(categories).where(eq(categories.parentId, id)),
      tx.select({ total: count() }).from(products).where(eq(products.categoryId, id)),
    ]);
    if ((children?.total ?? 0) > 0 || (used?.total ?? 0) > 0) {
      throw conflict('CATEGORY_IN_USE', `The category still has ${children?.total ?? 0} subcategories and ${used?.total ?? 0} products; move them first`);
    }
    await tx.delete(categories).where(eq(categories.id, id));
    await recordAdminAction(tx, { actor, action: 'category.deleted', targetType: 'category', targetId: id, before: { name: current.name, slug: current.slug, parentId: current.parentId } });
  });
}
