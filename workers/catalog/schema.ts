import { amount, imageAltText, imageUrl, MAX_PRODUCT_IMAGES, productDescription, productName, reviewComment, reviewRating, sku, stockQuantity } from '@contract/catalog';
import { z } from '@hono/zod-openapi';

import { MAX_STOCK_SHARDS } from '@/catalog/stock-shards';
import { productSummarySchema } from '@/catalog/summary';
import { PRODUCT_STATUSES } from '@/catalog/tables';
import { pageQuerySchema } from '@/platform/pagination';

/** Catalog ids are positive bigints on the wire; anything else (e.g. `search`) is a 400, never a 500. */
const catalogIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Seeded uuids are not RFC 4122 v1–v8, so `z.guid()` (shape only), never `z.uuid()`. */
const guidSchema = z.guid();

const booleanQuery = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .openapi({ type: 'boolean' });

/** A 2-decimal amount ≥ 0 and ≤ 1,000,000. */
const amountSchema = amount().openapi({ example: 149.99 });

// ---------- categories ----------

export const categorySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    slug: z.string(),
    parentId: z.number().int().nullable(),
    sortOrder: z.number().int(),
  })
  .openapi('Category');
export type Category = z.infer<typeof categorySchema>;

export const categoryListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().openapi({ description: 'Case-insensitive substring of the name' }),
});

export const categorySlugParamSchema = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case slug')
    .max(100)
    .openapi({ param: { name: 'slug', in: 'path' }, example: 'electronics' }),
});

export const createCategorySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Camping Stoves' }),
    parentId: z.number().int().positive().nullish().openapi({ description: 'A root category; the tree has two levels' }),
  })
  .strict();
export type CreateCategory = z.infer<typeof createCategorySchema>;

// ---------- products ----------

const productImageInputSchema = z
  .object({
    url: imageUrl(),
    altText: imageAltText().nullish(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

const productFields = {
  name: productName(),
  sku: sku()
    .nullish()
    .transform((sku) => (sku === undefined ? undefined : sku || null))
    .openapi({ description: "The seller's own stock-keeping code, unique among the seller's products; blank clears it", example: 'AUR-ANC-BLK' }),
  description: productDescription().nullish(),
  price: amountSchema,
  categoryId: z.number().int().positive().nullish(),
  stockQuantity: stockQuantity(),
  images: z.array(productImageInputSchema).max(MAX_PRODUCT_IMAGES),
};

export const createProductSchema = z
  .object({
    name: productFields.name,
    sku: productFields.sku,
    description: productFields.description,
    price: productFields.price,
    categoryId: productFields.categoryId,
    stockQuantity: productFields.stockQuantity.default(0),
    images: productFields.images.default([]),
  })
  .strict()
  .openapi('CreateProduct');
export type CreateProduct = z.infer<typeof createProductSchema>;

export const updateProductSchema = z
  .object({
    name: productFields.name.optional(),
    sku: productFields.sku,
    description: productFields.description,
    price: productFields.price.optional(),
    categoryId: productFields.categoryId,
    stockQuantity: productFields.stockQuantity.optional().openapi({ description: 'Absolute on-hand count; may not go below reserved. Prefer `stockDelta`.' }),
    stockDelta: z.number().int().min(-10_000_000).max(10_000_000).optional().openapi({ description: 'Units to add (or remove) relative to the current on-hand count' }),
    stockShards: z
      .number()
      .int()
      .min(1)
      .max(MAX_STOCK_SHARDS)
      .optional()
      .openapi({ description: 'Stock shards for a hot product (flash sale): only grows, and only while no units are reserved (409 `STOCK_RESERVED`)' }),
    images: productFields.images.optional().openapi({ description: 'Replaces the whole image set' }),
    status: z.enum(PRODUCT_STATUSES).optional(),
    version: z.number().int().min(0).optional().openapi({ description: 'Expected current version (optimistic concurrency)' }),
  })
  .strict()
  .refine((body) => !(body.stockQuantity !== undefined && body.stockDelta !== undefined), {
    message: 'send either stockQuantity or stockDelta, not both',
    path: ['stockDelta'],
  })
  .refine((body) => Object.entries(body).some(([key, value]) => key !== 'version' && value !== undefined), {
    message: 'nothing to update',
    path: ['_'],
  })
  .openapi('UpdateProduct');
export type UpdateProduct = z.infer<typeof updateProductSchema>;

const productImageSchema = z
  .object({ id: z.number().int(), url: z.string(), altText: z.string().nullable(), sortOrder: z.number().int() })
  .openapi('ProductImage');

export const productDetailSchema = productSummarySchema
  .extend({
    description: z.string().nullable(),
    sku: z.string().nullable(),
    stockQuantity: z.number().int(),
    stockShards: z.number().int().openapi({ description: 'How many stock shards hold the units (1 = one, as for every product by default)' }),
    version: z.number().int(),
    images: z.array(productImageSchema),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ProductDetail');
export type ProductDetail = z.infer<typeof productDetailSchema>;

export const productIdParamSchema = z.object({
  id: catalogIdSchema.openapi({ param: { name: 'id', in: 'path' }, type: 'integer', example: 1 }),
});

export const PRODUCT_SORT_FIELDS = ['createdAt', 'price', 'avgRating', 'soldCount', 'name'] as const;

const productPageSchema = pageQuerySchema({
  sortFields: PRODUCT_SORT_FIELDS,
  defaultSort: { field: 'createdAt', direction: 'DESC' },
  aliases: { stockReserved: 'soldCount' },
});

/** `ALL` (any status) is an extension for a seller's own product table. */
const PRODUCT_STATUS_FILTERS = [...PRODUCT_STATUSES, 'ALL'] as const;

export const productListQuerySchema = productPageSchema
  .extend({
    categoryId: catalogIdSchema.optional().openapi({ type: 'integer', description: 'Includes the child categories' }),
    sellerId: guidSchema.optional(),
    q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Part of the name or the SKU, or the whole product id (a filter, not a ranked search: see /products/search)' }),
    status: z.enum(PRODUCT_STATUS_FILTERS).optional().openapi({ description: 'Non-ACTIVE only for the seller named in sellerId, or an admin' }),
    ratedOnly: booleanQuery.optional(),
    inStock: booleanQuery.optional(),
    minPrice: z.coerce.number().min(0).max(1_000_000).optional(),
    maxPrice: z.coerce.number().min(0).max(1_000_000).optional(),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'minPrice must not exceed maxPrice',
    path: ['minPrice'],
  });
export type ProductListQuery = z.infer<typeof productListQuerySchema>;

export const relatedQuerySchema = pageQuerySchema({ sortFields: PRODUCT_SORT_FIELDS, defaultSort: { field: 'soldCount', direction: 'DESC' }, defaultSize: 8 });

// ---------- inventory ----------

export const inventoryParamSchema = z.object({
  productId: catalogIdSchema.openapi({ param: { name: 'productId', in: 'path' }, type: 'integer', example: 1 }),
});

export const inventorySchema = z
  .object({ productId: z.number().int(), stockQuantity: z.number().int(), stockReserved: z.number().int(), availableStock: z.number().int() })
  .openapi('Inventory');

// ---------- reviews ----------

export const reviewSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    customerId: z.string(),
    orderItemId: z.string(),
    rating: z.number().int(),
    comment: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Review');
export type Review = z.infer<typeof reviewSchema>;

/**
 * A review as anyone may read it in a product's list: the author appears as a display name (first name and last
 * initial), never by account id.
 */
export const publicReviewSchema = reviewSchema
  .omit({ customerId: true })
  .extend({ authorName: z.string().openapi({ example: 'Ada L.', description: 'First name and last initial of the author' }) })
  .openapi('PublicReview');
export type PublicReview = z.infer<typeof publicReviewSchema>;

const ratingSchema = reviewRating();
const commentSchema = reviewComment().nullish();

export const createReviewSchema = z
  .object({ orderItemId: guidSchema, rating: ratingSchema, comment: commentSchema })
  .strict()
  .openapi('CreateReview');
export type CreateReview = z.infer<typeof createReviewSchema>;

export const updateReviewSchema = z
  .object({ rating: ratingSchema.optional(), comment: commentSchema })
  .strict()
  .refine((body) => body.rating !== undefined || body.comment !== undefined, { message: 'nothing to update', path: ['_'] })
  .openapi('UpdateReview');
export type UpdateReview = z.infer<typeof updateReviewSchema>;

export const reviewListQuerySchema = pageQuerySchema({
  sortFields: ['createdAt', 'rating'],
  defaultSort: { field: 'createdAt', direction: 'DESC' },
  defaultSize: 10,
});

export const productReviewsParamSchema = z.object({
  productId: catalogIdSchema.openapi({ param: { name: 'productId', in: 'path' }, type: 'integer', example: 1 }),
});

export const reviewParamSchema = productReviewsParamSchema.extend({
  reviewId: catalogIdSchema.openapi({ param: { name: 'reviewId', in: 'path' }, type: 'integer' }),
});

export const orderItemReviewParamSchema = productReviewsParamSchema.extend({
  orderItemId: guidSchema.openapi({ param: { name: 'orderItemId', in: 'path' } }),
});
