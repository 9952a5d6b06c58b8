import type { LiveDO } from '@do/live';
import type { StockFeedDO } from '@do/stock-feed';
import type { AppEnv } from '@/env';
import { publishLiveEvents, type LiveEvent } from '@/platform/live-events';

/**
 * The front door of live updates for the rest of the Worker: the objects' stubs and the socket protocol. Domains do
 * not come here to push events: they hand them to the port in `platform/live-events.ts` (docs/decisions/live.md).
 */

export type { StockLevel } from '@do/stock-feed';
export { LIVE_CLOSE, originAllowed, refuseSocket, STOCK_FEED_HEADERS, STOCK_FEED_LIMITS } from './protocol';

export const liveStub = (env: AppEnv, userId: string) => env.LIVE_DO.get(env.LIVE_DO.idFromName(userId)) as unknown as DurableObjectStub<LiveDO>;

/** The product's live-stock feed (durable-objects/stock-feed.ts). */
export const stockFeedStub = (env: AppEnv, productId: number) =>
  env.STOCK_FEED_DO.get(env.STOCK_FEED_DO.idFromName(String(productId))) as unknown as DurableObjectStub<StockFeedDO>;

/** Sends ready-made events to every socket of `userId`, in the background. */
export function publishLive(env: AppEnv, userId: string, events: LiveEvent[]): void {
  publishLiveEvents(
    env,
    events.map((event) => ({ userId, event })),
  );
}
