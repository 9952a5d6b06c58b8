import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';

import { applyLaunchLiveEvent } from '@/features/launches/api/live-events';

const ticketKey = (productId: number) => ['launches', productId, 'ticket'];

describe('applyLaunchLiveEvent', () => {
  it('marks the admitted product’s ticket stale (the page refetches it) and leaves other products and events alone', async () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(ticketKey(5), { state: 'waiting' });
    queryClient.setQueryData(ticketKey(6), { state: 'waiting' });
    const stale = (productId: number) => queryClient.getQueryState(ticketKey(productId))?.isInvalidated;

    await applyLaunchLiveEvent(queryClient, { id: 'order:1:2', type: 'order.updated', version: 2, data: { productId: 5 } });
    expect(stale(5)).toBe(false);

    await applyLaunchLiveEvent(queryClient, { id: 'admission:ab', type: 'waiting-room.admitted', version: 1, data: { productId: 5 } });
    expect([stale(5), stale(6)]).toEqual([true, false]);
  });
});
