import { describe, expect, it } from 'vitest';

import { createProduct, shippingAddress } from '@test/security/support/fixtures';
import { newActor, send } from '@test/security/support/harness';

/** Hardening item 11: a buyer is never charged a total other than the one they confirmed. */
describe('silent price changes at checkout', () => {
  it('answers 409 PRICE_CHANGED with the new totals when expectedTotal no longer matches, and reserves nothing', async () => {
    const [buyer, seller] = [await newActor('customer', 'price'), await newActor('seller', 'price')];
    const productId = Number(await createProduct(seller, 'Price watch product'));
    const order = (expectedTotal?: number) =>
      send('POST', '/api/v1/orders', { token: buyer.token, body: { items: [{ productId, quantity: 2 }], shippingAddress, ...(expectedTotal === undefined ? {} : { expectedTotal }) } });

    // The buyer saw 2 × 12.50 = 25.00 and it still is: the order goes through.
    const first = await order(25);
    expect(first.status, first.text).toBe(201);
    expect((first.json as { data: { totalAmount: number } }).data.totalAmount).toBe(25);

    // The seller raises the price; the buyer's page still says 25.00.
    expect((await send('PUT', `/api/v1/products/${productId}`, { token: seller.token, body: { price: 15 } })).status).toBe(200);
    // The first order's saga may still be turning its reservation into a sale, so compare what is available to sell.
    const available = async () => ((await send('GET', `/api/v1/inventory/${productId}`)).json as { data: { availableStock: number } }).data.availableStock;
    const availableBefore = await available();
    const ordersBefore = ((await send('GET', '/api/v1/orders', { token: buyer.token })).json as { data: unknown[] }).data.length;

    const refused = await order(25);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({
      success: false,
      error: { code: 'PRICE_CHANGED', details: { total: '30.00', expectedTotal: '25.00', [`items.${productId}.unitPrice`]: '15.00' } },
    });
    // Nothing happened: no order, no reservation.
    expect(((await send('GET', '/api/v1/orders', { token: buyer.token })).json as { data: unknown[] }).data.length).toBe(ordersBefore);
    expect(await available()).toBe(availableBefore);

    // Confirming the new total (or not sending one, as old clients do) places the order at the new price.
    const confirmed = await order(30);
    expect(confirmed.status, confirmed.text).toBe(201);
    expect((confirmed.json as { data: { totalAmount: number } }).data.totalAmount).toBe(30);
    expect((await order()).status).toBe(201);
  });

  it('refuses a malformed expectedTotal with 400', async () => {
    const buyer = await newActor('customer', 'price-bad');
    for (const expectedTotal of [-1, 'twenty', null, 1e13]) {
      const answer = await send('POST', '/api/v1/orders', { token: buyer.token, body: { items: [{ productId: 1, quantity: 1 }], shippingAddress, expectedTotal } });
      expect(answer.status, String(expectedTotal)).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    }
  });
});
