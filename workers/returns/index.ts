/** The returns domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { commissionShareCents } from './rules';
export { returnSummaries, returnSummarySchema } from './summary';
export { returnDepsFromEnv } from './deps';
export { createReturnsRouter } from './routes';
export { finishReceivedReturns } from './service';
