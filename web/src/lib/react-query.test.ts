import { onlineManager } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';

import { ApiError } from '@/lib/api-client';
import { createQueryClient, shouldRetryQuery } from '@/lib/react-query';

const apiError = (status: number, code = 'X') => new ApiError({ status, code, message: code });

describe('shouldRetryQuery', () => {
  it('retries network failures and 5xx responses', () => {
    expect(shouldRetryQuery(0, apiError(0, 'NETWORK_ERROR'))).toBe(true);
    expect(shouldRetryQuery(0, apiError(503, 'SERVICE_UNAVAILABLE'))).toBe(true);
    expect(shouldRetryQuery(1, apiError(500, 'INTERNAL_ERROR'))).toBe(true);
  });

  it('never retries a 4xx, a 501 or an error that is not from the API', () => {
    for (const status of [400, 401, 403, 404, 409, 429]) expect(shouldRetryQuery(0, apiError(status))).toBe(false);
    expect(shouldRetryQuery(0, apiError(501))).toBe(false);
    expect(shouldRetryQuery(0, new TypeError('x is undefined'))).toBe(false);
  });

  it('gives up after two retries', () => {
    expect(shouldRetryQuery(2, apiError(503))).toBe(false);
  });
});

describe('queries while the browser is offline', () => {
  afterEach(() => onlineManager.setOnline(true));

  it('fail with the network error instead of waiting, paused, for the connection to come back', async () => {
    onlineManager.setOnline(false);
    const client = createQueryClient();
    const offline = apiError(0, 'NETWORK_ERROR');
    await expect(client.fetchQuery({ queryKey: ['offline'], queryFn: () => Promise.reject(offline), retry: false })).rejects.toBe(offline);
    expect(client.getQueryState(['offline'])).toMatchObject({ status: 'error', fetchStatus: 'idle' });
  });
});
