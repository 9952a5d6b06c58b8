import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';

import { orderDepsFromEnv } from '@/composition';
import { placeOrder } from '@/orders/placing';
import { orders } from '@/orders/tables';
import { createSimulatedIntent } from '@/payments/simulator';
import { payments, type PaymentConfirmation } from '@/payments/tables';
import { createDb } from '@/platform/db';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

/** The simulated payment provider on the real Worker (`SELF`): orders whose payments have their intent at it. */

export const ORIGIN = 'http://shop.test';
export const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'VN', zipCode: '700000' };
const db = createDb(env);

/** A new buyer and a 42.00 product (stock 100) of a new seller: each test file's own. */
export async function buyerAndProduct(): Promise<{ buyer: TestUser; productId: number }> {
  const [buyer, seller] = await Promise.all([createTestUser('customer'), createTestUser('seller')]);
  return { buyer, productId: (await createTestProduct(seller.id, { priceCents: 4200, stock: 100 })).id };
}

/** A PENDING order of `quantity` units whose payment (`confirmation`) has its intent at the simulated provider. */
export async function orderWithIntent(buyer: TestUser, productId: number, options: { quantity: number; confirmation: PaymentConfirmation }) {
  const { order } = await placeOrder(orderDepsFromEnv(env), { id: buyer.id, role: 'customer' }, { items: [{ productId, quantity: options.quantity }], shippingAddress: ADDRESS }, `sim-${crypto.randomUUID()}`);
  const [row] = await db.select({ totalCents: orders.totalCents, currency: orders.currency }).from(orders).where(eq(orders.id, order.id));
  const [payment] = await db.insert(payments).values({ orderId: order.id, userId: buyer.id, amountCents: row!.totalCents, currency: row!.currency, idempotencyKey: order.id, confirmation: options.confirmation }).returning();
  const intent = await createSimulatedIntent(db, { paymentId: payment!.id, orderId: order.id, amountCents: row!.totalCents, currency: row!.currency, appEnv: 'test' });
  return { orderId: order.id, paymentId: payment!.id, intent };
}

/** The order as its buyer reads it through the API. */
export const orderAsBuyer = async (buyer: TestUser, orderId: string) =>
  (await SELF.fetch(`${ORIGIN}/api/v1/orders/${orderId}`, { headers: jsonHeaders(buyer) }).then((r) => r.json() as Promise<{ data: { status: string } }>)).data;

export const paymentRow = async (paymentId: string) => (await db.select().from(payments).where(eq(payments.id, paymentId)))[0]!;

export type CardSetup = { setupIntentId: string; nextAction: { type: string; url: string | null; clientSecret: string } };

/** `POST /payments/methods/setup` as the buyer: the setup intent and where to confirm it. */
export async function startCardSetup(buyer: TestUser): Promise<CardSetup> {
  const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/methods/setup`, { method: 'POST', headers: jsonHeaders(buyer) });
  if (res.status !== 201) throw new Error(`card setup answered ${res.status}`);
  return ((await res.json()) as { data: CardSetup }).data;
}

/** Submits a card number on the simulated provider's setup page; the page's answer. */
export async function submitSetupCard(setup: CardSetup, card: string) {
  const body = new URLSearchParams({ client_secret: setup.nextAction.clientSecret, card_number: card, return_url: '/profile' }).toString();
  const res = await SELF.fetch(`${ORIGIN}/pay/sim/setup/${setup.setupIntentId}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, text: await res.text() };
}

/** Saves a test card that needs no challenge (`4242…`, `9995`) as the buyer's, through the provider's setup page. */
export async function saveTestCard(buyer: TestUser, card: string): Promise<void> {
  const saved = await submitSetupCard(await startCardSetup(buyer), card);
  if (!saved.text.includes('Card saved')) throw new Error(`card ${card} was not saved: ${saved.status}`);
}
