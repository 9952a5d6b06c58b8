/**
 * The checkout invariant: what must hold between Postgres (orders, payments, outbox) and the
 * StockDOs (the truth about units) whenever the saga is quiet. Pure over plain rows, so the same
 * check runs in Node (`npm run check:invariants`, the benches, scripts/invariants.ts reading the
 * database with `pg` and the DOs through the admin ledger route) and inside workerd tests.
 *
 * Per product (its StockDO ledger):
 * - units sold = units of CONFIRMED/SHIPPED/DELIVERED orders: Σ quantity of COMMITTED reservations
 *   equals Σ quantity of those orders' lines, and order by order a CONFIRMED/SHIPPED/DELIVERED line
 *   has a COMMITTED reservation while a CANCELLED one has none;
 * - available = onHand − reserved (the DO's onHand is the stock already net of sold units, so this is
 *   "stock − reserved − sold"), reserved = Σ RESERVED reservations, and no count is negative.
 * Globally (or within the orders of the products checked):
 * - no COMPLETED payment belongs to a CANCELLED order (it must have been refunded);
 * - no order is PENDING longer than the reservation TTL plus one reaper period;
 * - no outbox row is unpublished longer than the resend delay plus one sweep period.
 * Money (docs/decisions/marketplace.md), per checkout and per paid order:
 * - a checkout's total = Σ of its orders' totals = its payment's amount;
 * - refunds never exceed what was paid: a payment's refunds ≤ what it took, an order's partial refunds ≤ its total,
 *   and `refunded_cents` = Σ of its completed refunds (checkouts, and single orders with partial refunds);
 * - a CANCELLED order of a paid checkout has its part refunded; what a paid checkout kept (amount − refunds) = Σ
 *   totals of its orders that were not cancelled − their returns' refunds;
 * - a REFUNDED return has its one completed payment refund of its amount and its RETURN entry in the ledger;
 * - the sellers' ledger: every CONFIRMED/SHIPPED/DELIVERED order has its SALE and no REFUND, a cancelled order
 *   with a SALE has its REFUND, each SALE/REFUND splits its gross exactly into seller net + commission, and the
 *   gross kept by the ledger for a paid checkout = what the buyer paid net of refunds.
 * Breakdown (docs/decisions/promotions.md), per order and per checkout:
 * - total = subtotal − discount + shipping + tax (+ 0 when the order's prices included their tax, `tax_included`), and
 *   an included tax never exceeds what it is part of; an order's discount and tax = Σ of its lines' + its shipping line's,
 *   no line's discount above its amount, no shipping discount above the shipping; a checkout's discount and tax = Σ of
 *   its orders';
 * - every promotion used by those orders: `used_count` = its unreleased redemptions, never above `usage_limit`.
 */
import { OUTBOX_RESEND_AFTER_SECONDS } from '@/orders/outbox';
import { RESERVATION_TTL_MS } from '@/orders/model';

/** The cron (reaper and outbox sweep) runs every minute. */
const CRON_PERIOD_SECONDS = 60;
const MAX_PENDING_SECONDS = RESERVATION_TTL_MS / 1000 + CRON_PERIOD_SECONDS;
const MAX_UNPUBLISHED_SECONDS = OUTBOX_RESEND_AFTER_SECONDS + CRON_PERIOD_SECONDS;

const SOLD_STATUSES = new Set(['CONFIRMED', 'SHIPPED', 'DELIVERED']);

export interface LedgerReservation {
  orderId: string;
  quantity: number;
  status: string;
}

/** What a StockDO reports (`GET /api/v1/admin/stock/{productId}/ledger`); `null` = never touched. */
export interface StockLedger {
  snapshot: { productId: number; onHand: number; reserved: number; available: number; sold: number; version: number };
  reservations: LedgerReservation[];
}

export interface OrderLine {
  orderId: string;
  productId: number;
  quantity: number;
  status: string;
}

export interface InvariantData {
  ledgers: Map<number, StockLedger | null>;
  lines: OrderLine[];
  unrefunded: { orderId: string; paymentId: string }[];
  stalePending: { orderId: string; ageSeconds: number }[];
  staleOutbox: { id: number; aggregateId: string; eventType: string; ageSeconds: number }[];
  /** Money checks that failed, already described (see {@link gatherMoneyViolations}). */
  money?: string[];
}

export type ViolationKind = 'units-sold' | 'order-stock' | 'stock-arithmetic' | 'negative-stock' | 'unrefunded-payment' | 'stale-pending' | 'stale-outbox' | 'money';

export interface Violation {
  kind: ViolationKind;
  message: string;
}

export interface InvariantReport {
  ok: boolean;
  violations: Violation[];
  /** What was looked at, for the report line. */
  checked: { products: number; orders: number };
}

/** Every invariant over already-read data. */
export function evaluateInvariants(data: InvariantData): InvariantReport {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, message: string) => violations.push({ kind, message });
  const linesByProduct = new Map<number, OrderLine[]>();
  for (const line of data.lines) linesByProduct.set(line.productId, [...(linesByProduct.get(line.productId) ?? []), line]);

  for (const [productId, ledger] of data.ledgers) {
    const lines = linesByProduct.get(productId) ?? [];
    const soldByOrders = lines.filter((l) => SOLD_STATUSES.has(l.status)).reduce((sum, l) => sum + l.quantity, 0);
    if (!ledger) {
      if (soldByOrders > 0) add('units-sold', `product ${productId}: ${soldByOrders} units in paid orders but its StockDO holds no ledger`);
      continue;
    }
    const { snapshot, reservations } = ledger;
    for (const field of ['onHand', 'reserved', 'available', 'sold'] as const) {
      if (snapshot[field] < 0) add('negative-stock', `product ${productId}: ${field} is ${snapshot[field]}`);
    }
    if (snapshot.available !== snapshot.onHand - snapshot.reserved) {
      add('stock-arithmetic', `product ${productId}: available ${snapshot.available} ≠ on hand ${snapshot.onHand} − reserved ${snapshot.reserved}`);
    }
    const held = reservations.filter((r) => r.status === 'RESERVED').reduce((sum, r) => sum + r.quantity, 0);
    if (held !== snapshot.reserved) add('stock-arithmetic', `product ${productId}: reserved ${snapshot.reserved} ≠ ${held} units in live reservations`);
    const committed = reservations.filter((r) => r.status === 'COMMITTED').reduce((sum, r) => sum + r.quantity, 0);
    if (committed !== soldByOrders) {
      add('units-sold', `product ${productId}: ${committed} units sold in the StockDO ≠ ${soldByOrders} units in CONFIRMED/SHIPPED/DELIVERED orders`);
    }
    // A sharded product holds an order in pieces (one per shard): the order's status is the pieces' common one.
    const byOrder = new Map<string, Set<string>>();
    for (const r of reservations) byOrder.set(r.orderId, (byOrder.get(r.orderId) ?? new Set<string>()).add(r.status));
    for (const line of lines) {
      const status = [...(byOrder.get(line.orderId) ?? ['none'])].sort().join('+');
      if (SOLD_STATUSES.has(line.status) && status !== 'COMMITTED') add('order-stock', `order ${line.orderId} is ${line.status} but its ${line.quantity} × product ${productId} are ${status} in stock`);
      if (line.status === 'CANCELLED' && status === 'COMMITTED') add('order-stock', `order ${line.orderId} is CANCELLED but its ${line.quantity} × product ${productId} are still sold`);
    }
  }
  for (const row of data.unrefunded) add('unrefunded-payment', `order ${row.orderId} is CANCELLED but its payment ${row.paymentId} is COMPLETED (not refunded)`);
  for (const row of data.stalePending) add('stale-pending', `order ${row.orderId} has been PENDING for ${row.ageSeconds} s (limit ${MAX_PENDING_SECONDS} s)`);
  for (const message of data.money ?? []) add('money', message);
  for (const row of data.staleOutbox) add('stale-outbox', `outbox row ${row.id} (${row.eventType} of ${row.aggregateId}) unpublished for ${row.ageSeconds} s (limit ${MAX_UNPUBLISHED_SECONDS} s)`);
  return { ok: violations.length === 0, violations, checked: { products: data.ledgers.size, orders: new Set(data.lines.map((l) => l.orderId)).size } };
}

/** Runs one parameterised SQL query (`$1`…) and returns its rows as objects. */
export type RunQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Reads the database side and every touched product's ledger (`readLedger`), then evaluates.
 * `productIds` narrows every check to those products and the orders containing them (tests share
 * one database); without it every product that appears in an order is checked.
 */
export async function gatherAndEvaluate(query: RunQuery, readLedger: (productId: number) => Promise<StockLedger | null>, options: { productIds?: number[] } = {}): Promise<InvariantReport> {
  const scoped = options.productIds !== undefined;
  const ids = options.productIds ?? [];
  // Orders in scope: all, or those with a line of one of the products.
  const inScope = scoped ? `o.id in (select order_id from order_items where product_id = any($1::int[]))` : 'true';
  const params = scoped ? [ids] : [];
  const lines = await query(
    `select oi.order_id::text as order_id, oi.product_id, oi.quantity, o.status
       from order_items oi join orders o on o.id = oi.order_id
      where ${scoped ? 'oi.product_id = any($1::int[])' : 'true'}`,
    params,
  );
  const unrefunded = await query(
    `select o.id::text as order_id, p.id::text as payment_id from orders o join payments p on p.order_id = o.id
      where o.status = 'CANCELLED' and p.status = 'COMPLETED' and ${inScope}`,
    params,
  );
  const stalePending = await query(
    `select o.id::text as order_id, extract(epoch from now() - o.created_at)::int as age_seconds from orders o
      where o.status = 'PENDING' and o.created_at < now() - make_interval(secs => ${MAX_PENDING_SECONDS}) and ${inScope}`,
    params,
  );
  const staleOutbox = await query(
    `select x.id, x.aggregate_id::text as aggregate_id, x.event_type, extract(epoch from now() - x.created_at)::int as age_seconds from outbox x
      where x.published_at is null and x.created_at < now() - make_interval(secs => ${MAX_UNPUBLISHED_SECONDS})
        ${scoped ? 'and x.aggregate_id in (select order_id from order_items where product_id = any($1::int[]))' : ''}`,
    params,
  );
  const money = await gatherMoneyViolations(query, scoped ? `o.id in (select order_id from order_items where product_id = any($1::int[]))` : 'true', params);
  const productIds = scoped ? ids : [...new Set(lines.map((row) => Number(row.product_id)))];
  const ledgers = new Map<number, StockLedger | null>();
  // A few at a time: one DO call each.
  for (let i = 0; i < productIds.length; i += 8) {
    const chunk = productIds.slice(i, i + 8);
    const read = await Promise.all(chunk.map(readLedger));
    chunk.forEach((id, j) => ledgers.set(id, read[j]!));
  }
  return evaluateInvariants({
    ledgers,
    lines: lines.map((row) => ({ orderId: String(row.order_id), productId: Number(row.product_id), quantity: Number(row.quantity), status: String(row.status) })),
    unrefunded: unrefunded.map((row) => ({ orderId: String(row.order_id), paymentId: String(row.payment_id) })),
    stalePending: stalePending.map((row) => ({ orderId: String(row.order_id), ageSeconds: Number(row.age_seconds) })),
    staleOutbox: staleOutbox.map((row) => ({ id: Number(row.id), aggregateId: String(row.aggregate_id), eventType: String(row.event_type), ageSeconds: Number(row.age_seconds) })),
    money,
  });
}

/**
 * The money invariants over the orders matching `orderScope` (SQL over alias `o`, parameters `params`) and their
 * checkouts, each query returning one row per violation with a `message`.
 */
/** Σ of the completed return refunds of payment `p` (SQL). */
const RETURNS_REFUNDED = `(select coalesce(sum(r.amount_cents), 0) from payment_refunds r where r.payment_id = p.id and r.return_id is not null and r.status = 'COMPLETED')`;

export async function gatherMoneyViolations(query: RunQuery, orderScope: string, params: unknown[]): Promise<string[]> {
  const checkoutScope = `c.id in (select o.checkout_id from orders o where o.checkout_id is not null and ${orderScope})`;
  const checks = [
    // A checkout's orders add up to it, and its payment took exactly that.
    `select 'checkout ' || c.id || ': total ' || c.total_cents || ' ≠ Σ orders ' || coalesce(sum(o.total_cents), 0) as message
       from checkouts c left join orders o on o.checkout_id = c.id
      where ${checkoutScope} group by c.id, c.total_cents having c.total_cents <> coalesce(sum(o.total_cents), 0)`,
    `select 'checkout ' || c.id || ': payment ' || p.id || ' is for ' || p.amount_cents || ' ≠ total ' || c.total_cents as message
       from checkouts c join payments p on p.checkout_id = c.id where ${checkoutScope} and p.amount_cents <> c.total_cents`,
    // Refunds never exceed what was taken and add up to what the payment says.
    `select 'payment ' || p.id || ': refunded ' || p.refunded_cents || ' of ' || p.amount_cents || ', completed refunds ' || coalesce(r.total, 0) as message
       from payments p left join (select payment_id, sum(amount_cents) as total from payment_refunds where status = 'COMPLETED' group by payment_id) r on r.payment_id = p.id
      where p.checkout_id in (select c.id from checkouts c where ${checkoutScope})
        and (p.refunded_cents > p.amount_cents or p.refunded_cents <> coalesce(r.total, 0))`,
    // Every cancelled order of a paid checkout got its part back; a paid checkout keeps exactly its live orders.
    `select 'order ' || o.id || ' is CANCELLED but its part of checkout payment ' || p.id || ' was not refunded' as message
       from orders o join payments p on p.checkout_id = o.checkout_id
      where ${orderScope} and o.status = 'CANCELLED' and p.status in ('COMPLETED', 'REFUNDED')
        and not exists (select 1 from payment_refunds r where r.payment_id = p.id and r.order_id = o.id and r.status = 'COMPLETED')`,
    `select 'checkout ' || c.id || ': kept ' || (p.amount_cents - p.refunded_cents) || ' ≠ Σ live orders ' || coalesce(sum(o.total_cents) filter (where o.status <> 'CANCELLED'), 0) || ' − returns refunded ' || ${RETURNS_REFUNDED} as message
       from checkouts c join payments p on p.checkout_id = c.id and p.status in ('COMPLETED', 'REFUNDED') join orders o on o.checkout_id = c.id
      where ${checkoutScope} group by c.id, p.id, p.amount_cents, p.refunded_cents
     having p.amount_cents - p.refunded_cents <> coalesce(sum(o.total_cents) filter (where o.status <> 'CANCELLED'), 0) - ${RETURNS_REFUNDED}`,
    // The sellers' ledger follows the orders.
    `select 'order ' || o.id || ' is ' || o.status || ' but the ledger has ' || coalesce(string_agg(e.type, ','), 'no entry') as message
       from orders o left join seller_ledger_entries e on e.order_id = o.id
      where ${orderScope} and o.status in ('CONFIRMED', 'SHIPPED', 'DELIVERED') group by o.id, o.status
     having count(*) filter (where e.type = 'SALE') <> 1 or count(*) filter (where e.type = 'REFUND') <> 0`,
    `select 'order ' || o.id || ' was paid and cancelled but its sale was not reversed in the ledger' as message
       from orders o where ${orderScope} and o.status = 'CANCELLED'
        and exists (select 1 from seller_ledger_entries e where e.order_id = o.id and e.type = 'SALE')
        and not exists (select 1 from seller_ledger_entries e where e.order_id = o.id and e.type = 'REFUND')`,
    `select 'ledger entry ' || e.id || ' (' || e.type || ' of order ' || e.order_id || '): net ' || e.pending_delta_cents || ' + commission ' || e.commission_cents || ' ≠ gross ' || e.gross_cents as message
       from seller_ledger_entries e join orders o on o.id = e.order_id
      where ${orderScope} and e.type in ('SALE', 'REFUND', 'RETURN') and e.pending_delta_cents + e.available_delta_cents + e.commission_cents <> e.gross_cents`,
    `select 'checkout ' || c.id || ': the ledger keeps ' || coalesce(l.gross, 0) || ' but the buyer paid ' || (p.amount_cents - p.refunded_cents) || ' net of refunds' as message
       from checkouts c join payments p on p.checkout_id = c.id and p.status in ('COMPLETED', 'REFUNDED')
       left join (select checkout_id, sum(gross_cents) as gross from seller_ledger_entries where type in ('SALE', 'REFUND', 'RETURN') group by checkout_id) l on l.checkout_id = c.id
      where ${checkoutScope} and coalesce(l.gross, 0) <> p.amount_cents - p.refunded_cents`,
    // Refunds never exceed what was paid: per payment (single orders too), and per order across its partial refunds.
    `select 'payment ' || p.id || ': refunded ' || p.refunded_cents || ' of ' || p.amount_cents as message
       from payments p join orders o on o.id = p.order_id where ${orderScope} and p.refunded_cents > p.amount_cents`,
    `select 'order ' || o.id || ': refunds ' || sum(r.amount_cents) || ' exceed its total ' || o.total_cents as message
       from orders o join payment_refunds r on r.order_id = o.id and r.status = 'COMPLETED'
      where ${orderScope} group by o.id, o.total_cents having sum(r.amount_cents) > o.total_cents`,
    `select 'payment ' || p.id || ': refunded ' || p.refunded_cents || ' ≠ completed refunds ' || r.total as message
       from payments p join orders o on o.id = p.order_id
       join (select payment_id, sum(amount_cents) as total from payment_refunds where status = 'COMPLETED' group by payment_id) r on r.payment_id = p.id
      where ${orderScope} and p.refunded_cents <> r.total`,
    // A refunded return was paid back exactly once, for its amount, and the seller's ledger reversed it.
    `select 'return ' || x.id || ' is REFUNDED for ' || x.refund_cents || ' but its payment refund is ' || coalesce(r.status || ' ' || r.amount_cents, 'missing') as message
       from returns x join orders o on o.id = x.order_id left join payment_refunds r on r.return_id = x.id
      where ${orderScope} and x.status = 'REFUNDED' and x.refund_cents > 0 and (r.id is null or r.status <> 'COMPLETED' or r.amount_cents <> x.refund_cents)`,
    `select 'return ' || x.id || ' was refunded but the seller ledger did not reverse ' || x.refund_cents as message
       from returns x join orders o on o.id = x.order_id
      where ${orderScope} and x.status = 'REFUNDED' and x.refund_cents > 0
        and exists (select 1 from seller_ledger_entries e where e.order_id = o.id and e.type = 'SALE')
        and not exists (select 1 from seller_ledger_entries e where e.return_id = x.id and e.type = 'RETURN' and e.gross_cents = -x.refund_cents)`,
    // The breakdown adds up, order by order and line by line.
    `select 'order ' || o.id || ': total ' || o.total_cents || ' ≠ subtotal ' || o.subtotal_cents || ' − discount ' || o.discount_cents || ' + shipping ' || o.shipping_cents
            || case when o.tax_included then ' (tax ' || o.tax_cents || ' included)' else ' + tax ' || o.tax_cents end as message
       from orders o where ${orderScope}
        and (o.total_cents <> o.subtotal_cents - o.discount_cents + o.shipping_cents + case when o.tax_included then 0 else o.tax_cents end
             or (o.tax_included and o.tax_cents > o.total_cents))`,
    `select 'order ' || o.id || ': discount ' || o.discount_cents || ' / tax ' || o.tax_cents || ' ≠ lines ' || coalesce(sum(i.discount_cents), 0) || ' + shipping ' || o.shipping_discount_cents
            || ' / lines ' || coalesce(sum(i.tax_cents), 0) || ' + shipping ' || o.shipping_tax_cents || ', or a line or the shipping is discounted below zero' as message
       from orders o left join order_items i on i.order_id = o.id
      where ${orderScope}
      group by o.id, o.discount_cents, o.tax_cents, o.shipping_discount_cents, o.shipping_tax_cents, o.shipping_cents, o.subtotal_cents
     having o.discount_cents <> coalesce(sum(i.discount_cents), 0) + o.shipping_discount_cents
         or o.tax_cents <> coalesce(sum(i.tax_cents), 0) + o.shipping_tax_cents
         or o.shipping_discount_cents > o.shipping_cents or o.subtotal_cents <> coalesce(sum(i.unit_price_cents::bigint * i.quantity), 0)
         or bool_or(i.discount_cents > i.unit_price_cents::bigint * i.quantity or i.discount_cents < 0 or i.tax_cents < 0)`,
    `select 'checkout ' || c.id || ': total ' || c.total_cents || ' ≠ subtotal − discount + shipping + tax, or its discount ' || c.discount_cents || ' / tax ' || c.tax_cents || ' ≠ Σ orders ' || coalesce(sum(o.discount_cents), 0) || ' / ' || coalesce(sum(o.tax_cents), 0) as message
       from checkouts c left join orders o on o.checkout_id = c.id
      where ${checkoutScope} group by c.id
     having c.total_cents <> c.subtotal_cents - c.discount_cents + c.shipping_cents + case when c.tax_included then 0 else c.tax_cents end
         or c.discount_cents <> coalesce(sum(o.discount_cents), 0) or c.tax_cents <> coalesce(sum(o.tax_cents), 0)`,
    // A promotion's uses are its purchases that still hold one, never more than its limit.
    `select 'promotion ' || p.id || ': used_count ' || p.used_count || ' ≠ ' || (select count(*) from promotion_redemptions r where r.promotion_id = p.id and r.released_at is null) || ' uses held (limit ' || coalesce(p.usage_limit::text, 'none') || ')' as message
       from promotions p
      where p.id in (select r.promotion_id from promotion_redemptions r where r.purchase_id in (select coalesce(o.checkout_id, o.id) from orders o where ${orderScope}))
        and (p.used_count <> (select count(*) from promotion_redemptions r where r.promotion_id = p.id and r.released_at is null) or p.used_count > coalesce(p.usage_limit, p.used_count))`,
  ];
  // One after another: `query` may be a single client (pg refuses overlapping queries on one connection).
  const messages: string[] = [];
  for (const text of checks) for (const row of await query(text, params)) messages.push(String(row.message));
  return messages;
}
