import { describe, expect, it } from 'vitest';

import { createOrder, shippingAddress } from '@test/security/support/fixtures';
import { newActor, send } from '@test/security/support/harness';

/** Product bugs the security suite found, pinned by name (docs/SECURITY.md, "Findings"). */
describe('security regressions', () => {
  it('answers a NUL character in any JSON string with 400 VALIDATION_ERROR naming the field (was a Postgres 500)', async () => {
    const customer = await newActor('customer', 'nul');
    const address = await send('POST', '/api/v1/users/addresses', { token: customer.token, body: { address_line1: 'a\u0000b', city: 'X', country: 'US' } });
    expect(address.status).toBe(400);
    expect(address.json).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { address_line1: expect.any(String) } } });
    const nested = await send('POST', '/api/v1/orders', { token: customer.token, body: { items: [{ productId: 1, quantity: 1 }], shippingAddress: { ...shippingAddress, city: '\u0000' } } });
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({ error: { details: { 'shippingAddress.city': expect.any(String) } } });
    const register = await send('POST', '/api/v1/auth/register', { body: { email: `nul-${crypto.randomUUID()}@example.com`, password: 'Sturdy4Pass', first_name: 'A\u0000', last_name: 'B' } });
    expect(register.status).toBe(400);
  });

  it('answers a NUL character in a query value with 400', async () => {
    const answer = await send('GET', '/api/v1/categories?q=%00');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ success: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('still reads bodies that handlers parse from the raw request (cancel with a reason)', async () => {
    const [buyer, seller] = [await newActor('customer', 'cancel'), await newActor('seller', 'cancel')];
    const orderId = await createOrder(buyer, seller);
    const cancelled = await send('PUT', `/api/v1/orders/${orderId}/cancel`, { token: buyer.token, body: { reason: 'changed my mind' } });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((cancelled.json as { data: { status: string } }).data.status).toBe('CANCELLED');
  });

  it('keeps answering malformed JSON with 400 INVALID_BODY after the NUL check', async () => {
    const customer = await newActor('customer', 'badjson');
    const answer = await send('POST', '/api/v1/users/addresses', { token: customer.token, raw: '{"city": "\\u0000' });
    expect(answer.status).toBe(400);
    expect((answer.json as { error: { code: string } }).error.code).toBe('INVALID_BODY');
  });
});
