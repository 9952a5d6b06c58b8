/** The notifications domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { createNotification, shortOrderNumber } from './service';
export { money, orderNotices } from './order-wording';
export type { OrderNotice } from './order-wording';
