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

  it('still cancels with a reason in a JSON body', async () => {
    const [buyer, seller] = [await newActor('customer', 'cancel'), await newActor('seller', 'cancel')];
    const orderId = await createOrder(buyer, seller);
    const cancelled = await send('PUT', `/api/v1/orders/${orderId}/cancel`, { token: buyer.token, body: { reason: 'changed my mind' } });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((cancelled.json as { data: { status: string } }).data.status).toBe('CANCELLED');
  });

  it('validates the cancel body by its declared schema whatever the Content-Type (was a 500 for text/plain with NUL)', async () => {
    const [buyer, seller] = [await newActor('customer', 'cancel-ct'), await newActor('seller', 'cancel-ct')];
    const orderId = await createOrder(buyer, seller);
    const cancel = (raw: string | undefined, contentType: string | null) => send('PUT', `/api/v1/orders/${orderId}/cancel`, { token: buyer.token, raw, contentType });
    for (const [raw, contentType] of [
      ['{"reason":"nul\\u0000byte"}', 'text/plain'],
      ['{"reason":"nul\\u0000byte"}', 'application/x-www-form-urlencoded'],
      ['{"reason":"raw\u0000nul"}', 'text/plain'],
      ['{"reason":"fine"}', 'text/plain'],
      ['{"reason":"fine"}', null],
    ] as const) {
      const answer = await cancel(raw, contentType);
      expect(answer.status, `${contentType}: ${answer.text}`).toBe(415);
      expect(answer.json).toMatchObject({ success: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    }
    const nul = await cancel('{"reason":"nul\\u0000byte"}', 'application/json');
    expect(nul.status).toBe(400);
    const unknownField = await cancel('{"reason":"x","status":"DELIVERED"}', 'application/json');
    expect(unknownField.status).toBe(400);
    expect(unknownField.json).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    // Nothing above changed the order; an empty JSON body still cancels without a reason.
    const order = await send('GET', `/api/v1/orders/${orderId}`, { token: buyer.token });
    expect((order.json as { data: { status: string } }).data.status).not.toBe('CANCELLED');
    const empty = await cancel('', 'application/json');
    expect(empty.status, empty.text).toBe(200);
    expect((empty.json as { data: { status: string } }).data.status).toBe('CANCELLED');
  });

  it('declares the cancel body in the OpenAPI document (so the fuzz and clients see it)', async () => {
    const doc = (await send('GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> };
    expect(Object.keys(doc.paths['/api/v1/orders/{id}/cancel']!.put!.requestBody?.content ?? {})).toEqual(['application/json']);
  });

  it('keeps answering malformed JSON with 400 INVALID_BODY after the NUL check', async () => {
    const customer = await newActor('customer', 'badjson');
    const answer = await send('POST', '/api/v1/users/addresses', { token: customer.token, raw: '{"city": "\\u0000' });
    expect(answer.status).toBe(400);
    expect((answer.json as { error: { code: string } }).error.code).toBe('INVALID_BODY');
  });
});
