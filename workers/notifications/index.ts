/** The notifications domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { createNotification, shortOrderNumber } from './service';
export { notificationsRouter } from './routes';
