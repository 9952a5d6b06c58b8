import { eq, inArray, sql } from 'drizzle-orm';

import { categories, productImages, products } from '@/catalog/tables';
import type { Queryable } from '@/platform/db';
import { notFound } from '@/platform/errors';

/** What other domains ask the catalog about its products and categories (they never read its tables). */

/** The products with these ids, whatever their status, with the price and first image an order line copies. */
export function findPurchasableProducts(db: Queryable, ids: number[]) {
  return db
    .select({
      id: products.id,
      sellerId: products.sellerId,
      name: products.name,
      priceCents: products.priceCents,
      status: products.status,
      categoryId: products.categoryId,
      imageUrl: sql<string | null>`(select pi.url from ${productImages} pi where pi.product_id = ${products}.id order by pi.sort_order, pi.id limit 1)`,
    })
    .from(products)
    .where(inArray(products.id, ids));
}

/** Each category's parent, for these categories (nulls and duplicates ignored). */
export async function parentCategories(db: Queryable, ids: (number | null)[]): Promise<Map<number, number | null>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: categories.id, parentId: categories.parentId }).from(categories).where(inArray(categories.id, wanted));
  return new Map(rows.map((row) => [row.id, row.parentId]));
}

/** 404 `CATEGORY_NOT_FOUND` unless the category exists. */
export async function assertCategoryExists(db: Queryable, categoryId: number): Promise<void> {
  const [category] = await db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  if (!category) throw notFound('CATEGORY_NOT_FOUND', `Category ${categoryId} not found`);
}

/** Product id → its seller, for the products of these ids that exist. */
export async function productSellers(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  const found = await db.select({ id: products.id, sellerId: products.sellerId }).from(products).where(inArray(products.id, ids));
  return new Map(found.map((p) => [p.id, p.sellerId]));
}
