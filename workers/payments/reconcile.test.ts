import { describe, expect, it } from 'vitest';

import { retrieveStripeIntent } from '@/payments/reconcile';

const intent = { id: 'pi_3Pabc', object: 'payment_intent', amount: 8400, currency: 'usd', status: 'succeeded', metadata: { payment_id: 'p-1' } };

function recordingFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch };
}

describe('the real provider asked about a stuck payment', () => {
  it('reads the recorded intent by id, with the secret key', async () => {
    const { calls, fetch } = recordingFetch(200, intent);
    expect(await retrieveStripeIntent({ secretKey: 'sk_test_1', fetch, baseUrl: 'https://provider.test' }, { id: 'p-1', gatewayReference: 'pi_3Pabc' })).toEqual(intent);
    expect(calls[0]!.url).toBe('https://provider.test/v1/payment_intents/pi_3Pabc');
    expect(calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer sk_test_1' });
  });

  it('searches by metadata.payment_id when no intent id was recorded (an off-session answer that was lost)', async () => {
    const { calls, fetch } = recordingFetch(200, { object: 'search_result', data: [intent], has_more: false });
    expect(await retrieveStripeIntent({ secretKey: 'sk', fetch, baseUrl: 'https://provider.test' }, { id: 'p-1', gatewayReference: null })).toEqual(intent);
    expect(decodeURIComponent(calls[0]!.url)).toBe("https://provider.test/v1/payment_intents/search?query=metadata['payment_id']:'p-1'");
    expect(await retrieveStripeIntent({ secretKey: 'sk', fetch: recordingFetch(200, { object: 'search_result', data: [] }).fetch }, { id: 'p-2', gatewayReference: null })).toBeNull();
  });

  it('a missing intent is null; a provider error throws (the next run asks again)', async () => {
    expect(await retrieveStripeIntent({ secretKey: 'sk', fetch: recordingFetch(404, { error: { code: 'resource_missing' } }).fetch }, { id: 'p', gatewayReference: 'pi_x' })).toBeNull();
    await expect(retrieveStripeIntent({ secretKey: 'sk', fetch: recordingFetch(500, {}).fetch }, { id: 'p', gatewayReference: 'pi_x' })).rejects.toThrow(/500/);
  });
});
