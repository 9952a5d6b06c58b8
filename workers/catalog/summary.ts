import { z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';

import { categories, productImages, products, PRODUCT_STATUSES } from '@/catalog/tables';
import { centsToAmount } from '@contract/money';

/** The product summary every list returns, camelCase. */
export const productSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    price: z.number().openapi({ example: 149 }),
    categoryId: z.number().int().nullable(),
    categoryName: z.string().nullable(),
    sellerId: z.string(),
    status: z.enum(PRODUCT_STATUSES),
    stockAvailable: z.number().int(),
    stockReserved: z.number().int(),
    soldCount: z.number().int(),
    thumbnailUrl: z.string().nullable(),
    avgRating: z.number().nullable(),
    ratingCount: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ProductSummary');

export type ProductSummary = z.infer<typeof productSummarySchema>;

/**
 * Columns for `db.select(productSummaryColumns).from(products).leftJoin(categories, …)`: the summary
 * fields with the category name and first image resolved in the same query.
 */
export const productSummaryColumns = {
  id: products.id,
  name: products.name,
  priceCents: products.priceCents,
  categoryId: products.categoryId,
  categoryName: categories.name,
  sellerId: products.sellerId,
  status: products.status,
  stockQuantity: products.stockQuantity,
  stockReserved: products.stockReserved,
  soldCount: products.soldCount,
  // The outer row is named explicitly: drizzle qualifies `products.id` only in joined selects, and an
  // unqualified `id` inside the subquery would bind to product_images.id.
  thumbnailUrl: sql<string | null>`(select ${productImages.url} from ${productImages} where ${productImages.productId} = ${sql.identifier('products')}.${sql.identifier('id')} order by ${productImages.sortOrder}, ${productImages.id} limit 1)`,
  avgRating: products.avgRating,
  ratingCount: products.ratingCount,
  createdAt: products.createdAt,
};

export type ProductSummaryRow = {
  id: number;
  name: string;
  priceCents: number;
  categoryId: number | null;
  categoryName: string | null;
  sellerId: string;
  status: (typeof PRODUCT_STATUSES)[number];
  stockQuantity: number;
  stockReserved: number;
  soldCount: number;
  thumbnailUrl: string | null;
  avgRating: string | null;
  ratingCount: number;
  createdAt: Date;
};

export function toProductSummary(row: ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    name: row.name,
    price: centsToAmount(row.priceCents),
    categoryId: row.categoryId,
    categoryName: row.categoryName,
    sellerId: row.sellerId,
    status: row.status,
    stockAvailable: row.stockQuantity - row.stockReserved,
    stockReserved: row.stockReserved,
    soldCount: row.soldCount,
    thumbnailUrl: row.thumbnailUrl,
    avgRating: row.avgRating === null ? null : Number(row.avgRating),
    ratingCount: row.ratingCount,
    createdAt: row.createdAt.toISOString(),
  };
}
