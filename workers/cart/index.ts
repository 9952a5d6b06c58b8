/** The cart domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { removeOrderedFromCart } from './service';
