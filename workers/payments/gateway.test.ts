import { describe, expect, it } from 'vitest';

import { createSimulatedGateway, createStripeGateway, gatewayFromEnv, parseGatewayMode, parseLatency, TransientGatewayError } from '@/payments/gateway';

const charge = (paymentId: string) => ({ paymentId, orderId: crypto.randomUUID(), amountCents: 1234, currency: 'USD' });

describe('simulated gateway', () => {
  it('approves, declines or fails transiently per mode, with the payment id as reference', async () => {
    const id = crypto.randomUUID();
    expect(await createSimulatedGateway({ kind: 'success' }).charge(charge(id))).toEqual({ outcome: 'approved', gatewayReference: `MOCK-${id}` });
    expect(await createSimulatedGateway({ kind: 'decline' }).charge(charge(id))).toEqual({ outcome: 'declined', reason: `gateway declined (paymentId=${id})` });
    await expect(createSimulatedGateway({ kind: 'transient' }).charge(charge(id))).rejects.toBeInstanceOf(TransientGatewayError);
  });

  it('random(rate) is deterministic per payment and close to the rate', async () => {
    const gateway = createSimulatedGateway({ kind: 'random', successRate: 0.9 });
    const ids = Array.from({ length: 400 }, () => crypto.randomUUID());
    const first = await Promise.all(ids.map((id) => gateway.charge(charge(id))));
    const again = await Promise.all(ids.map((id) => gateway.charge(charge(id))));
    expect(again).toEqual(first);
    const approved = first.filter((r) => r.outcome === 'approved').length / ids.length;
    expect(approved).toBeGreaterThan(0.8);
    expect(approved).toBeLessThan(0.97);
  });

  it('waits the configured latency', async () => {
    const waits: number[] = [];
    const gateway = createSimulatedGateway({ kind: 'success' }, [50, 200], async (ms) => void waits.push(ms));
    await gateway.charge(charge(crypto.randomUUID()));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(200);
  });

  it('parses modes and latency, rejecting nonsense', () => {
    expect(parseGatewayMode('random(0.9)')).toEqual({ kind: 'random', successRate: 0.9 });
    expect(parseGatewayMode(undefined)).toEqual({ kind: 'success' });
    expect(() => parseGatewayMode('random(2)')).toThrow();
    expect(parseGatewayMode('random(0.8,0.2)')).toEqual({ kind: 'random', successRate: 0.8, transientRate: 0.2 });
    expect(() => parseGatewayMode('random(0.8,3)')).toThrow();
    expect(parseLatency('50-200')).toEqual([50, 200]);
    expect(parseLatency('0')).toEqual([0, 0]);
    expect(() => gatewayFromEnv({ PAYMENT_GATEWAY_MODE: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
  });
});

describe('simulated gateway with transient failures (random(success, transient))', () => {
  it('times out the calls the draw picks and answers the others by payment id', async () => {
    const draws = [0.1, 0.9];
    const gateway = createSimulatedGateway({ kind: 'random', successRate: 1, transientRate: 0.2 }, [0, 0], undefined, () => draws.shift()!);
    const request = charge(crypto.randomUUID());
    await expect(gateway.charge(request)).rejects.toBeInstanceOf(TransientGatewayError);
    expect(await gateway.charge(request)).toEqual({ outcome: 'approved', gatewayReference: `MOCK-${request.paymentId}` });
  });
});

describe('Stripe PaymentIntents adapter', () => {
  const fakeFetch = (status: number, body: unknown, seen: { url: string; init: RequestInit }[] = []) => async (url: string, init: RequestInit) => {
    seen.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };

  it('confirms a PaymentIntent with the payment id as Idempotency-Key and maps success', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const gateway = createStripeGateway({ secretKey: 'sk_test_x', fetch: fakeFetch(200, { id: 'pi_123', status: 'succeeded' }, seen), baseUrl: 'http://provider.test' });
    const request = charge(crypto.randomUUID());
    expect(await gateway.charge(request)).toEqual({ outcome: 'approved', gatewayReference: 'pi_123' });
    expect(seen[0]!.url).toBe('http://provider.test/v1/payment_intents');
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers['idempotency-key']).toBe(request.paymentId);
    expect(headers.authorization).toBe('Bearer sk_test_x');
    const form = new URLSearchParams(String(seen[0]!.init.body));
    expect(form.get('amount')).toBe('1234');
    expect(form.get('currency')).toBe('usd');
    expect(form.get('confirm')).toBe('true');
  });

  it('maps a card error to a decline and 5xx/429/network to transient errors', async () => {
    const declined = await createStripeGateway({ secretKey: 'k', fetch: fakeFetch(402, { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } }) }).charge(charge('p1'));
    expect(declined).toEqual({ outcome: 'declined', reason: 'gateway declined: insufficient_funds (paymentId=p1)' });
    await expect(createStripeGateway({ secretKey: 'k', fetch: fakeFetch(503, {}) }).charge(charge('p2'))).rejects.toBeInstanceOf(TransientGatewayError);
    await expect(createStripeGateway({ secretKey: 'k', fetch: fakeFetch(429, {}) }).charge(charge('p3'))).rejects.toBeInstanceOf(TransientGatewayError);
    const offline = createStripeGateway({ secretKey: 'k', fetch: async () => Promise.reject(new Error('connection reset')) });
    await expect(offline.charge(charge('p4'))).rejects.toBeInstanceOf(TransientGatewayError);
    const badKey = createStripeGateway({ secretKey: 'k', fetch: fakeFetch(401, { error: { message: 'Invalid API Key' } }) });
    await expect(badKey.charge(charge('p5'))).rejects.not.toBeInstanceOf(TransientGatewayError);
  });

  it('refunds by payment intent with a refund idempotency key', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const gateway = createStripeGateway({ secretKey: 'k', fetch: fakeFetch(200, { id: 're_1', status: 'succeeded' }, seen), baseUrl: 'http://provider.test' });
    expect(await gateway.refund({ paymentId: 'p', gatewayReference: 'pi_9', amountCents: 500 })).toEqual({ refundReference: 're_1', status: 'succeeded' });
    expect(seen[0]!.url).toBe('http://provider.test/v1/refunds');
    expect((seen[0]!.init.headers as Record<string, string>)['idempotency-key']).toBe('refund-p');
    expect(new URLSearchParams(String(seen[0]!.init.body)).get('payment_intent')).toBe('pi_9');
  });
});
