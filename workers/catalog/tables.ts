import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
  varchar,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

import { createdAt, updatedAt } from '@/platform/columns';

export const PRODUCT_STATUSES = ['ACTIVE', 'INACTIVE', 'DELETED'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** One stock shard's counts as last mirrored (`products.stock_shard_mirror`), guarded per shard by its version. */
export interface ShardMirror {
  onHand: number;
  reserved: number;
  sold: number;
  version: number;
}

/** Dimension of the sentence embeddings (MiniLM-class models). */

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const categories = pgTable(
  'categories',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    name: varchar({ length: 100 }).notNull(),
    slug: varchar({ length: 100 }).notNull().unique(),
    parentId: bigint({ mode: 'number' }).references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
    sortOrder: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);

export const products = pgTable(
  'products',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    sellerId: uuid().notNull(),
    categoryId: bigint({ mode: 'number' }).references(() => categories.id, { onDelete: 'set null' }),
    name: varchar({ length: 200 }).notNull(),
    /** The seller's own stock-keeping code; unique per seller when set. */
    sku: varchar({ length: 64 }),
    description: text(),
    /** Money is exact: integer cents, shown as a 2-decimal amount on the wire. */
    priceCents: integer().notNull(),
    status: varchar({ length: 16 }).$type<ProductStatus>().notNull().default('ACTIVE'),
    /** Mirror of the product's StockDO; the DO is the authority, `stockVersion` makes late mirror writes lose. */
    stockQuantity: integer().notNull().default(0),
    stockReserved: integer().notNull().default(0),
    stockVersion: bigint({ mode: 'number' }).notNull().default(0),
    soldCount: integer().notNull().default(0),
    /** How many StockDO shards hold this product's units (docs/decisions/flash-sales.md); 1 = one StockDO, as always. */
    stockShards: integer().notNull().default(1),
    /** With more than one shard: each shard's last mirrored counts by shard index (the totals above are their sum). */
    stockShardMirror: jsonb().$type<Record<string, ShardMirror>>(),
    avgRating: numeric({ precision: 3, scale: 2 }),
    ratingCount: integer().notNull().default(0),
    /** Optimistic-concurrency version for seller edits. */
    version: bigint({ mode: 'number' }).notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    searchTsv: tsvector().generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english', coalesce(${products.name}, '')), 'A') || setweight(to_tsvector('english', coalesce(${products.description}, '')), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex('products_seller_sku_key').on(t.sellerId, t.sku).where(sql`${t.sku} is not null`),
    check('products_price_check', sql`${t.priceCents} >= 0 and ${t.priceCents} <= 100000000`),
    check('products_status_check', sql`${t.status} in ('ACTIVE', 'INACTIVE', 'DELETED')`),
    check('products_stock_shards_check', sql`${t.stockShards} between 1 and 32`),
    check('products_stock_check', sql`${t.stockQuantity} >= 0 and ${t.stockReserved} >= 0 and ${t.stockReserved} <= ${t.stockQuantity}`),
    // GIN without the pending list (fastupdate off): writes update the index at once, so a database without
    // autovacuum (PGlite) never ends up with a pending list that makes the planner fall back to a scan.
    index('products_search_tsv_idx').using('gin', t.searchTsv).with({ fastupdate: false }),
    // Trigrams of the name (pg_trgm): name substring search and typo-tolerant suggestions use it instead of a scan.
    index('products_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')).with({ fastupdate: false }),
    index('products_status_created_idx').on(t.status, t.createdAt.desc()),
    index('products_seller_status_idx').on(t.sellerId, t.status, t.createdAt.desc()),
    index('products_category_idx').on(t.categoryId),
  ],
);

export const productImages = pgTable(
  'product_images',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    productId: bigint({ mode: 'number' })
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    url: text().notNull(),
    altText: varchar({ length: 255 }),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.sortOrder), check('product_images_sort_check', sql`${t.sortOrder} >= 0`)],
);

export const productReviews = pgTable(
  'product_reviews',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    productId: bigint({ mode: 'number' })
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    customerId: uuid().notNull(),
    /** One review per purchased order line (verified purchase). */
    orderItemId: uuid().notNull().unique(),
    rating: smallint().notNull(),
    comment: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('product_reviews_rating_check', sql`${t.rating} between 1 and 5`),
    check('product_reviews_comment_check', sql`char_length(${t.comment}) <= 2000`),
    index('product_reviews_product_idx').on(t.productId, t.createdAt.desc()),
  ],
);

