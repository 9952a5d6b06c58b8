import { and, asc, eq, inArray } from 'drizzle-orm';

import { centsToAmount, formatCents } from '@contract/money';
import { resolveShipping } from '@/marketplace';
import { createNotification, orderNotices } from '@/notifications';
import { storedShippingAddress } from '@/orders/address';
import type { CheckoutInput, CheckoutPreviewResponse, CheckoutResponse, CreateCheckout } from '@/orders/checkout-schema';
import type { PaymentResponse } from '@/orders/payment-schema';
import { MAX_MESSAGE_AMOUNT, type CheckoutCreated } from '@/orders/messages';
import { assertExpectedTotal } from '@/orders/price-check';
import { pricePurchase, refusedCodeError, toPreviewResponse, toTotals, type PricedGroup, type Pricing } from '@/orders/pricing';
import { enqueue, eventEnvelope, RESERVATION_TTL_MS, toOrderResponse, type Caller, type OrderDeps, type OrderItemRow, type OrderRow, type PaymentFactsPort, type StockLine } from '@/orders/model';
import { loadPurchasable, orderCommission, orderItemValues, orderMoney, pricingDeps, restoreAdmissions } from '@/orders/placing';
import { reserveAdmitted, type AdmissionGate } from '@/launches';
import { redeemPromotions } from '@/promotions';
import { recordStatusChanges } from '@/orders/status-history';
import { checkouts, orderItems, orders } from '@/orders/tables';
import { newId } from '@/platform/columns';
import type { Queryable } from '@/platform/db';
import { AppError, badRequest, forbidden, notFound } from '@/platform/errors';
import { idFromSeed } from '@/platform/idempotency';
import { describeError } from '@/platform/logger';

/**
 * Marketplace checkout (docs/decisions/marketplace.md): one request for a cart holding several sellers' products.
 * It becomes one checkout and one PENDING order per seller, every line reserved all-or-nothing across all sellers,
 * and ONE `checkout.created` in the outbox: the payments side charges the checkout total once and answers one
 * `payment.completed`/`payment.failed` per order, which the orders side applies exactly as for a single order.
 */

export type CheckoutRow = typeof checkouts.$inferSelect;

export interface CheckoutChange {
  checkout: CheckoutResponse;
  outboxIds: number[];
  outboxRows?: { id: number; payload: CheckoutCreated }[];
}

function toCheckoutResponse(checkout: CheckoutRow, members: { order: OrderRow; items: OrderItemRow[] }[], payment: PaymentResponse | null): CheckoutResponse {
  return {
    id: checkout.id,
    userId: checkout.userId,
    cartId: checkout.cartId,
    status: checkout.status,
    totals: toTotals(checkout, checkout.taxIncluded, checkout.currency),
    shippingAddress: checkout.shippingAddress,
    orders: members.map(({ order, items }) => toOrderResponse(order, items)),
    payment,
    createdAt: checkout.createdAt.toISOString(),
    updatedAt: checkout.updatedAt.toISOString(),
  };
}

/** What reading a checkout needs: the database and the payments domain's port (the checkout's payment). */
type CheckoutReaders = Pick<OrderDeps, 'db' | 'payments'>;

/**
 * A checkout's answer. Its own row is read again last, after its orders and payment: its status is written in each
 * transaction that decides one of its orders, so read after them it is never behind the orders shown. Read first, a
 * decision committing in between gave every order CONFIRMED and the payment COMPLETED beside a PENDING checkout.
 */
async function loadCheckout(q: Queryable, payments: PaymentFactsPort, checkout: CheckoutRow): Promise<CheckoutResponse> {
  const members = await q.select().from(orders).where(eq(orders.checkoutId, checkout.id)).orderBy(asc(orders.sellerId), asc(orders.id));
  const ids = members.map((order) => order.id);
  const items = ids.length === 0 ? [] : await q.select().from(orderItems).where(inArray(orderItems.orderId, ids)).orderBy(asc(orderItems.productId));
  const payment = await payments.checkoutPayment(q, checkout.id);
  const [current] = await q.select().from(checkouts).where(eq(checkouts.id, checkout.id));
  return toCheckoutResponse(
    current ?? checkout,
    members.map((order) => ({ order, items: items.filter((item) => item.orderId === order.id) })),
    payment,
  );
}

/** A checkout for its buyer or an admin (404 `CHECKOUT_NOT_FOUND`, 403 `ACCESS_DENIED` for anyone else). */
export async function getCheckout({ db, payments }: CheckoutReaders, caller: Caller, checkoutId: string): Promise<CheckoutResponse> {
  const [checkout] = await db.select().from(checkouts).where(eq(checkouts.id, checkoutId));
  if (!checkout) throw notFound('CHECKOUT_NOT_FOUND', 'Checkout not found');
  if (caller.role !== 'admin' && checkout.userId !== caller.id) throw forbidden();
  return loadCheckout(db, payments, checkout);
}

async function findPlacedCheckout({ db, payments }: CheckoutReaders, caller: Caller, checkoutId: string): Promise<CheckoutResponse | null> {
  const [checkout] = await db.select().from(checkouts).where(and(eq(checkouts.id, checkoutId), eq(checkouts.userId, caller.id)));
  return checkout ? loadCheckout(db, payments, checkout) : null;
}

/** Lines as given; a product named twice is a 400 (a checkout line is one product, unlike an order's merged lines). */
function distinctLines(items: readonly StockLine[]): StockLine[] {
  const seen = new Set<number>();
  const details: Record<string, string> = {};
  for (const item of items) {
    if (seen.has(item.productId)) details[`items.${item.productId}`] = 'This product is listed more than once';
    seen.add(item.productId);
  }
  if (Object.keys(details).length > 0) throw badRequest('DUPLICATE_LINE', 'Each product may appear in one line only', details);
  return items.map(({ productId, quantity }) => ({ productId, quantity }));
}

/** One seller's part of the checkout, priced. */
interface SellerGroup {
  sellerId: string;
  orderId: string;
  lines: (StockLine & { product: { name: string; priceCents: number; categoryId: number | null; imageUrl: string | null } })[];
  priced: PricedGroup;
  commissionCents: number;
  shipping: { optionId: string | null; method: string; minDays: number; maxDays: number };
}

/** A checkout as it would be placed now: its seller groups (ids derived from `checkoutId`) and its totals. */
export interface PricedCheckout {
  checkoutId: string;
  groups: SellerGroup[];
  pricing: Pricing;
}

/**
 * Everything that needs no stock: the lines (the cart's when left out), purchasable products, one group per seller
 * (sorted by seller, so the orders, their ids and the reservations come out the same on every retry), each seller's
 * shipping, the promotions and tax (workers/orders/pricing.ts) and the commission. The preview stops here.
 */
async function priceCheckout(deps: OrderDeps, caller: Caller, input: CheckoutInput, checkoutId: string): Promise<PricedCheckout> {
  const requested = input.items ?? (await deps.cart.lines(caller.id));
  if (requested.length === 0) throw badRequest('EMPTY_CART', 'The cart is empty: nothing to check out');
  const lines = distinctLines(requested);
  const { byId } = await loadPurchasable(deps.db, caller, lines.map((line) => line.productId));
  const bySeller = new Map<string, SellerGroup['lines']>();
  for (const line of lines) {
    const product = byId.get(line.productId)!;
    bySeller.set(product.sellerId, [...(bySeller.get(product.sellerId) ?? []), { ...line, product }]);
  }
  const subtotals = new Map([...bySeller].map(([sellerId, group]) => [sellerId, group.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0)]));
  const shipping = await resolveShipping(deps.db, input.shipping ?? {}, subtotals);
  const sorted = [...bySeller].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([sellerId, group]) => ({ sellerId, lines: group.sort((a, b) => a.productId - b.productId) }));
  const pricing = await pricePurchase(pricingDeps(deps), caller.id, sorted.map((g) => ({ ...g, shippingCents: shipping.get(g.sellerId)!.priceCents })), input.shippingAddress, input.promoCode);
  const groups: SellerGroup[] = [];
  for (const { sellerId, lines: group } of sorted) {
    const line = shipping.get(sellerId)!;
    const priced = pricing.groups.get(sellerId)!;
    groups.push({
      sellerId,
      // Derived from the checkout id: a retry that takes over the Idempotency-Key finds the same orders and holds.
      orderId: await idFromSeed(`${checkoutId}\n${sellerId}`),
      lines: group,
      priced,
      commissionCents: await orderCommission(deps, group, priced),
      shipping: { optionId: line.optionId, method: line.method, minDays: line.minDays, maxDays: line.maxDays },
    });
  }
  return { checkoutId, groups, pricing };
}

/** `POST /api/v1/checkouts/preview`: the totals a checkout would have now, nothing reserved, no use taken. */
export async function previewCheckout(deps: OrderDeps, caller: Caller, input: CheckoutInput): Promise<CheckoutPreviewResponse> {
  const { groups, pricing } = await priceCheckout(deps, caller, input, newId());
  return toPreviewResponse(groups, pricing);
}

/**
 * Checks everything that needs no stock first ({@link priceCheckout}, a refused promo code, a payable total, the
 * expected total), then reserves every seller's lines at once — all or nothing: if any line of any seller is
 * short, every reservation already taken is released and the 409 names every short product — then writes the
 * checkout, its orders, their lines and history, the promotions' uses, the `checkout.created` outbox row and one
 * notice per seller in ONE transaction (a failure releases everything). Finally the lines leave the cart.
 */
export async function placeCheckout(
  deps: OrderDeps,
  caller: Caller,
  input: CreateCheckout,
  correlationId: string,
  options: { checkoutId?: string; admission?: AdmissionGate | undefined } = {},
): Promise<CheckoutChange> {
  if (options.checkoutId) {
    const placed = await findPlacedCheckout(deps, caller, options.checkoutId);
    if (placed) return { checkout: placed, outboxIds: [] };
  }
  const checkoutId = options.checkoutId ?? newId();
  const { groups, pricing } = await priceCheckout(deps, caller, input, checkoutId);
  if (pricing.code?.refusal) throw refusedCodeError(pricing.code);
  const { subtotalCents, shippingCents, discountCents, taxCents, taxIncluded, totalCents } = pricing;
  const free = groups.find((g) => g.priced.totalCents <= 0);
  if (free) {
    throw new AppError(422, 'ORDER_NOT_PAYABLE', "Every seller's part of a checkout must cost more than 0 to be paid", { [`seller.${free.sellerId}`]: 'costs 0.00' });
  }
  if (totalCents <= 0 || centsToAmount(totalCents) > MAX_MESSAGE_AMOUNT) {
    throw new AppError(422, 'ORDER_NOT_PAYABLE', totalCents <= 0 ? 'A checkout must cost more than 0 to be paid' : `A checkout may cost at most ${MAX_MESSAGE_AMOUNT.toFixed(2)}`, {
      totalAmount: formatCents(totalCents),
    });
  }
  assertExpectedTotal(input.expectedTotal, pricing, groups.flatMap((g) => g.lines));
  const promoCode = pricing.code?.applied ? pricing.code.code : null;

  const shippingAddress = await storedShippingAddress(deps.db, caller.id, input.shippingAddress);
  await reserveAdmitted(options.admission, checkoutId, () => reserveAll(deps, groups));
  let written: { outboxId: number; created: CheckoutCreated; checkout: CheckoutResponse };
  try {
    written = await deps.transaction(async (tx) => {
      const [checkout] = await tx
        .insert(checkouts)
        .values({ id: checkoutId, userId: caller.id, cartId: input.cartId ?? null, status: 'PENDING', subtotalCents, shippingCents, discountCents, taxCents, taxIncluded, totalCents, promoCode, shippingAddress })
        .returning();
      const members: { order: OrderRow; items: OrderItemRow[] }[] = [];
      for (const g of groups) {
        const [order] = await tx
          .insert(orders)
          .values({
            id: g.orderId,
            userId: caller.id,
            sellerId: g.sellerId,
            cartId: input.cartId ?? null,
            checkoutId,
            status: 'PENDING',
            ...orderMoney(g.priced, taxIncluded),
            commissionCents: g.commissionCents,
            promoCode,
            shippingOptionId: g.shipping.optionId,
            shippingMethod: g.shipping.method,
            shippingMinDays: g.shipping.minDays,
            shippingMaxDays: g.shipping.maxDays,
            shippingAddress,
          })
          .returning();
        const items = await tx
          .insert(orderItems)
          .values(g.lines.map((l) => ({ orderId: g.orderId, sellerId: g.sellerId, ...orderItemValues(l, g.priced) })))
          .returning();
        members.push({ order: order!, items });
      }
      await redeemPromotions(tx, caller.id, checkoutId, pricing.uses);
      await recordStatusChanges(tx, members.map(({ order }) => ({ order, oldStatus: null, reason: `checkout ${checkoutId} placed`, changedBy: caller.id })));
      const envelope = eventEnvelope(checkoutId, correlationId);
      const created: CheckoutCreated = {
        type: 'checkout.created',
        version: 1,
        correlationId: envelope.correlationId,
        eventId: envelope.eventId,
        checkoutId,
        occurredAt: envelope.occurredAt,
        userId: caller.id,
        totalAmount: centsToAmount(totalCents),
        currency: checkout!.currency,
        orders: groups.map((g) => ({ orderId: g.orderId, totalAmount: centsToAmount(g.priced.totalCents) })),
        idempotencyKey: checkoutId,
        ...(input.paymentConfirmation === 'client' ? { paymentConfirmation: 'client' as const } : {}),
      };
      const outboxId = await enqueue(tx, created);
      for (const g of groups) {
        await createNotification(tx, {
          userId: g.sellerId,
          orderId: g.orderId,
          ...orderNotices.placed(g.orderId, { totalCents: g.priced.totalCents, currency: checkout!.currency }, g.priced.shippingCents),
        });
      }
      return { outboxId, created, checkout: toCheckoutResponse(checkout!, members, null) };
    });
  } catch (err) {
    // A twin of this request (same Idempotency-Key, taken over) committed the same checkout first.
    if (options.checkoutId) {
      const placed = await findPlacedCheckout(deps, caller, checkoutId).catch(() => null);
      if (placed) return { checkout: placed, outboxIds: [] };
    }
    await releaseAll(deps, groups);
    await restoreAdmissions(deps, options.admission, checkoutId);
    throw err;
  }
  await Promise.all(
    groups.map((g) =>
      deps.cart.removeOrdered(caller.id, g.orderId, g.lines.map(({ productId, quantity }) => ({ productId, quantity }))).catch((err) => deps.logger.warn('could not remove ordered lines from the cart', { orderId: g.orderId, ...describeError(err) })),
    ),
  );
  return { checkout: written.checkout, outboxIds: [written.outboxId], outboxRows: [{ id: written.outboxId, payload: written.created }] };
}

const stockLines = (g: SellerGroup): StockLine[] => g.lines.map(({ productId, quantity }) => ({ productId, quantity }));

/**
 * Every seller's reservation at once. If any fails, every one that succeeded is released before the error is
 * thrown; when all failures are stock shortages, ONE 409 `INSUFFICIENT_STOCK` names every short product.
 */
async function reserveAll(deps: OrderDeps, groups: SellerGroup[]): Promise<void> {
  const results = await Promise.allSettled(groups.map((g) => deps.stock.reserve(g.orderId, stockLines(g), RESERVATION_TTL_MS)));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 0) return;
  await releaseAll(deps, groups.filter((_, i) => results[i]!.status === 'fulfilled'));
  const shortages = failures.filter((err): err is AppError => err instanceof AppError && err.code === 'INSUFFICIENT_STOCK');
  if (shortages.length === failures.length) {
    const details = Object.assign({}, ...shortages.map((err) => err.details ?? {})) as Record<string, string>;
    throw new AppError(409, 'INSUFFICIENT_STOCK', `Not enough stock for product ${Object.keys(details).map((key) => key.replace(/^product\./, '')).join(', ')}; nothing was reserved`, details);
  }
  throw failures.find((err) => !(err instanceof AppError && err.code === 'INSUFFICIENT_STOCK'));
}

async function releaseAll(deps: OrderDeps, groups: SellerGroup[]): Promise<void> {
  await Promise.all(
    groups.map((g) =>
      deps.stock.release(g.orderId, stockLines(g)).catch((err) => deps.logger.error('could not release stock of a failed checkout (the reservation expires by alarm)', { orderId: g.orderId, ...describeError(err) })),
    ),
  );
}
