/** The catalog domain's front door: what other domains may use (functions, types and schemas, never tables). */

export { getCartProducts } from './cart-lookup';
export type { CartProduct } from './cart-lookup';
export { lockOwnedProduct, productNotFound } from './product-service';
export { productIdParamSchema } from './schema';
export { commitStock, releaseStock, reserveStock, restockStock, returnStock, stockLedger } from './stock';
export type { StockDeps } from './stock';
export { productSummaryColumns, productSummarySchema, toProductSummary } from './summary';
export type { ProductSummary } from './summary';
export { embeddingJobSchema } from './embedding-jobs';
export { catalogGeneration } from './generation';
export { assertCategoryExists, findPurchasableProducts, parentCategories, productSellers } from './lookups';
