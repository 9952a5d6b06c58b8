/** The admin domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { adminRouter } from './routes';
