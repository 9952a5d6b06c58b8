import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

import { expectInvariants } from '@test/support/invariants';
import { createTestProduct, createTestUser, jsonHeaders, type TestUser } from '@test/support/shop-fixtures';
import { ADDRESS, ORIGIN } from '@test/support/simulated-payments';
import { poll } from '@test/support/poll';

/**
 * A multi-seller checkout paid by the buyer on the provider's form: one intent for the checkout's total, declined
 * attempts keep every order waiting with its stock held, one successful card confirms every seller's order.
 */
type Checkout = { id: string; status: string; totals: { total: number }; orders: { id: string; status: string }[]; payment: { id: string; status: string; amount: number } | null };
type PaymentView = { id: string; status: string; amount: number; checkoutId: string | null; confirmation: string; nextAction: { type: string; url: string } | null };

let buyer: TestUser;
let productA: number;
let productB: number;

beforeAll(async () => {
  const [sellerA, sellerB] = await Promise.all([createTestUser('seller'), createTestUser('seller')]);
  buyer = await createTestUser('customer');
  [productA, productB] = (await Promise.all([createTestProduct(sellerA.id, { priceCents: 2000, stock: 10 }), createTestProduct(sellerB.id, { priceCents: 1500, stock: 10 })])).map((p) => p.id) as [number, number];
});

const get = async <T>(path: string) => ((await (await SELF.fetch(`${ORIGIN}/api/v1${path}`, { headers: jsonHeaders(buyer) })).json()) as { data: T }).data;

async function submit(url: URL, card: string) {
  const body = new URLSearchParams({ client_secret: url.searchParams.get('client_secret')!, return_url: url.searchParams.get('return_url')!, card_number: card }).toString();
  return (await SELF.fetch(`${ORIGIN}${url.pathname}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).text();
}

describe('client-confirmed multi-seller checkout', () => {
  it('one intent for the whole total; a declined card keeps both orders waiting; another card confirms both', async () => {
    const placed = await SELF.fetch(`${ORIGIN}/api/v1/checkouts`, {
      method: 'POST',
      headers: jsonHeaders(buyer),
      body: JSON.stringify({ items: [{ productId: productA, quantity: 1 }, { productId: productB, quantity: 2 }], shippingAddress: ADDRESS, paymentConfirmation: 'client' }),
    });
    expect(placed.status).toBe(201);
    const checkout = ((await placed.json()) as { data: Checkout }).data;
    expect(checkout.orders).toHaveLength(2);

    const payment = await poll(async () => {
      const res = await SELF.fetch(`${ORIGIN}/api/v1/payments/order/${checkout.orders[0]!.id}`, { headers: jsonHeaders(buyer) });
      const view = res.status === 200 ? ((await res.json()) as { data: PaymentView }).data : undefined;
      return view?.nextAction ? view : undefined;
    });
    expect(payment).toMatchObject({ status: 'PENDING', confirmation: 'client', checkoutId: checkout.id, amount: checkout.totals.total });
    expect(payment.nextAction!.url).toMatch(new RegExp(`^/pay/sim/pi_sim_\\w+\\?client_secret=.+&return_url=%2Fcheckouts%2F${checkout.id}%2Fconfirmation$`));
    const url = new URL(payment.nextAction!.url, ORIGIN);
    expect(await (await SELF.fetch(url)).text()).toContain(`Pay ${checkout.totals.total.toFixed(2)} USD`);

    expect(await submit(url, '4000000000000002')).toContain('declined');
    const waiting = await get<Checkout>(`/checkouts/${checkout.id}`);
    expect(waiting.orders.map((order) => order.status)).toEqual(['PENDING', 'PENDING']);

    expect(await submit(url, '4242424242424242')).toContain('Payment succeeded');
    const paid = await poll(async () => {
      const current = await get<Checkout>(`/checkouts/${checkout.id}`);
      return current.orders.every((order) => order.status === 'CONFIRMED') ? current : undefined;
    });
    expect(paid.payment).toMatchObject({ id: payment.id, status: 'COMPLETED', amount: checkout.totals.total });
    await expectInvariants(productA, productB);
  });
});
