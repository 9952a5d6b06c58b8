/** The search domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { handleEmbeddingBatch, handleEmbeddingDeadLetters } from './embedding-jobs';
export { searchRouter } from './routes';
