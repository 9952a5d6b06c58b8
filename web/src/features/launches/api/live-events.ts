import type { QueryClient } from '@tanstack/react-query';

import type { LiveEvent } from '@/lib/live';

/** `waiting-room.admitted`: the buyer's turn came; the waiting page refetches its place now instead of at its next poll. */
export async function applyLaunchLiveEvent(queryClient: QueryClient, event: LiveEvent): Promise<void> {
  if (event.type !== 'waiting-room.admitted') return;
  await queryClient.invalidateQueries({ queryKey: ['launches', Number(event.data.productId), 'ticket'] });
}
