import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';

import { createNotification } from '@/notifications/service';
import { orders, orderStatusHistory } from '@/orders/tables';
import { savedPaymentMethods } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { newActor, send, type Actor, type Role } from '@test/security/support/harness';
import { poll } from '@test/support/poll';
import type { Operation } from '@test/security/support/openapi';

/** A valid address body (snake_case). */
export const addressBody = (tag = 'Home') => ({ label: tag, address_line1: '1 Main St', city: 'Springfield', country: 'US', postal_code: '12345' });

/** Creates an address through the API and returns its id. */
export async function createAddress(actor: Actor, tag = 'Home'): Promise<string> {
  const res = await send('POST', '/api/v1/users/addresses', { token: actor.token, body: addressBody(tag) });
  if (res.status !== 201) throw new Error(`address create failed: ${res.status} ${res.text}`);
  return (res.json as { data: { id: string } }).data.id;
}

/** Creates an ACTIVE product of `seller` through the API (no category, 50 units) and returns its id. */
export async function createProduct(seller: Actor, name = 'Security test product'): Promise<string> {
  const res = await send('POST', '/api/v1/products', { token: seller.token, body: { name, description: 'Made by the security suite', price: 12.5, stockQuantity: 50 } });
  if (res.status !== 201) throw new Error(`product create failed: ${res.status} ${res.text}`);
  return String((res.json as { data: { id: string | number } }).data.id);
}

/** A product of the seed owned by seller …0003 (cart lines only: the cart never changes the product row). */
export const SEEDED_PRODUCT_ID = '5';

/**
 * Ids of real objects the acting user may touch, per path parameter, for the routes we know. Unknown
 * routes get none and are fuzzed with random and junk ids only (still: never a 5xx, always the envelope).
 * Nothing here points at a seeded row another test file reads and the fuzz could change.
 */
export async function validIdsFor(op: Operation, actor: Actor): Promise<Record<string, string[]>> {
  if (/^\/api\/v1\/users\/addresses\/\{id\}/.test(op.path)) return { id: [await createAddress(actor)] };
  if (/^\/api\/v1\/(admin\/)?users\/\{id\}/.test(op.path)) return { id: [(await newActor('customer', 'victim')).id] };
  if (/^\/api\/v1\/products\/\{id\}(\/launch)?$/.test(op.path) && actor.role === 'seller') return { id: [await createProduct(actor)] };
  if (/^\/api\/v1\/orders\/\{id\}/.test(op.path) && actor.role !== 'admin') {
    const seller = actor.role === 'seller' ? actor : await newActor('seller', 'fuzz-order-seller');
    const buyer = actor.role === 'seller' ? await newActor('customer', 'fuzz-order-buyer') : actor;
    return { id: [await createOrder(buyer, seller)] };
  }
  if (/^\/api\/v1\/returns\/\{id\}/.test(op.path)) {
    const seller = actor.role === 'seller' ? actor : await newActor('seller', 'fuzz-return-seller');
    const buyer = actor.role === 'customer' ? actor : await newActor('customer', 'fuzz-return-buyer');
    return { id: [await createReturn(buyer, seller)] };
  }
  if (op.path === '/api/v1/orders/notifications/{id}/read') {
    return { id: [await createOrderNotification(actor, await createOrder(actor, await newActor('seller', 'fuzz-notice-seller')))] };
  }
  if (/^\/api\/v1\/cart\/items\/\{productId\}/.test(op.path)) {
    await send('POST', '/api/v1/cart/items', { token: actor.token, body: { product_id: Number(SEEDED_PRODUCT_ID), quantity: 1 } });
    return { productId: [SEEDED_PRODUCT_ID] };
  }
  return {};
}

const ROLES: Role[] = ['customer', 'seller', 'admin'];

/**
 * The first role that gets past the route's role gate: a request with an empty body answered anything but
 * 403 `FORBIDDEN` (the role refusal of `requireAuth`). Public routes take a customer.
 */
export async function suitableActor(op: Operation, path: string): Promise<Actor> {
  if (!op.secured) return newActor('customer', 'fuzz-customer');
  for (const role of ROLES) {
    const prober = await newActor(role, `probe-${role}`);
    const probe = await send(op.method, path, { token: prober.token, body: {} });
    const code = (probe.json as { error?: { code?: string } } | undefined)?.error?.code;
    // A fresh user of that role does the fuzzing: the probe may have changed the prober (logout).
    if (!(probe.status === 403 && code === 'FORBIDDEN')) return newActor(role, `fuzz-${role}`);
  }
  return newActor('admin', 'fuzz-admin');
}

export const shippingAddress = { street: '1 Main St', city: 'Springfield', state: 'IL', country: 'US', zipCode: '62701' };

/** A customer's order of one unit of a product of `seller` (created for it, so no seeded stock moves). */
export async function createOrder(buyer: Actor, seller: Actor): Promise<string> {
  const productId = Number(await createProduct(seller, 'Security order product'));
  const res = await send('POST', '/api/v1/orders', { token: buyer.token, body: { items: [{ productId, quantity: 1 }], shippingAddress } });
  if (res.status !== 201) throw new Error(`order create failed: ${res.status} ${res.text}`);
  return (res.json as { data: { id: string } }).data.id;
}

/**
 * A return requested by `buyer` of a one-unit order of `seller`'s product. The order is marked DELIVERED in the
 * database (the saga, shipping and delivery have their own tests), then the return is asked for through the API.
 */
export async function createReturn(buyer: Actor, seller: Actor): Promise<string> {
  const orderId = await createOrder(buyer, seller);
  const db = createDb(env);
  await db.update(orders).set({ status: 'DELIVERED' }).where(eq(orders.id, orderId));
  await db.insert(orderStatusHistory).values({ orderId, oldStatus: 'SHIPPED', newStatus: 'DELIVERED', reason: 'security suite', changedBy: buyer.id });
  const order = (await send('GET', `/api/v1/orders/${orderId}`, { token: buyer.token })).json as { data: { items: { id: string }[] } };
  const res = await send('POST', `/api/v1/orders/${orderId}/returns`, { token: buyer.token, body: { lines: [{ orderItemId: order.data.items[0]!.id, quantity: 1 }], reason: 'Security suite' } });
  if (res.status !== 201) throw new Error(`return create failed: ${res.status} ${res.text}`);
  return (res.json as { data: { id: string } }).data.id;
}

/** A customer's checkout of one unit of a product of `seller` (the seller has no shipping option: platform default). */
export async function createCheckout(buyer: Actor, seller: Actor): Promise<string> {
  const productId = Number(await createProduct(seller, 'Security checkout product'));
  // The seller's cheapest active option (the platform default when it has none): other rows may have added some.
  const options = (await send('GET', `/api/v1/shipping-options?sellerId=${seller.id}`, { token: buyer.token })).json as { data: { id: string }[] };
  const shipping = { [seller.id]: options.data[0]!.id };
  const res = await send('POST', '/api/v1/checkouts', { token: buyer.token, body: { items: [{ productId, quantity: 1 }], shippingAddress, shipping } });
  if (res.status !== 201) throw new Error(`checkout create failed: ${res.status} ${res.text}`);
  return (res.json as { data: { id: string } }).data.id;
}

/** The payment of an order, once the saga has created it. */
export const paymentOf = (buyer: Actor, orderId: string): Promise<string> =>
  poll(async () => {
    const res = await send('GET', `/api/v1/payments/order/${orderId}`, { token: buyer.token });
    return res.status === 200 ? (res.json as { data: { id: string } }).data.id : undefined;
  });

/** An in-app notification for `user` about an order, written with the domain's own writer. */
export async function createOrderNotification(user: Actor, orderId: string): Promise<string> {
  await createNotification(createDb(env), { userId: user.id, orderId, type: 'SECURITY_TEST', title: 'Security test notice' });
  const res = await send('GET', '/api/v1/orders/notifications', { token: user.token });
  const items = (res.json as { data: { items: { id: string; orderId: string | null; title: string }[] } }).data.items;
  const mine = items.find((item) => item.orderId === orderId && item.title === 'Security test notice');
  if (!mine) throw new Error(`notification not listed: ${res.text}`);
  return mine.id;
}

/** A card saved at the simulated provider for `owner` (as its setup webhook would record it), not the default; its id. */
export async function createSavedCard(owner: Actor): Promise<string> {
  const [card] = await createDb(env)
    .insert(savedPaymentMethods)
    .values({ userId: owner.id, provider: 'simulated', customerId: `cus_sim_${owner.id}`, providerMethodId: `pm_sim_${crypto.randomUUID()}`, brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030, isDefault: false })
    .returning({ id: savedPaymentMethods.id });
  return card!.id;
}
