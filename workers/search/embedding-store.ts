import { and, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

import { categories, products } from '@/catalog/tables';
import { productEmbeddings } from '@/search/tables';
import type { Embedder } from './embedder.ts';
import { productEmbeddingText, sha256Hex } from './embedding-text.ts';

/** Texts per embedder call: the seed's batch size, and within every adapter's request limit. */
export const EMBED_BATCH_SIZE = 32;

/** Any drizzle Postgres client: Neon HTTP in the Worker, node-postgres in the scripts. */
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT>;

export interface EmbedProductsOptions {
  /** Only these products (the queue consumer); otherwise every ACTIVE product (seed, backfill). */
  productIds?: number[];
  /** Re-embed even when the text and model are unchanged (`embed:backfill --force`). */
  force?: boolean;
  /** Without `productIds`: only products with no vector from this embedder's model (default true). */
  onlyMissing?: boolean;
  batchSize?: number;
}

export interface EmbedProductsResult {
  embedded: number[];
  /** Text and model unchanged since the stored vector (same `source_hash`). */
  unchanged: number[];
}

/**
 * Embeds products and upserts `product_embeddings`, skipping those whose stored vector has the same
 * `source_hash` and model. Idempotent by product id: running it twice writes nothing the second time.
 * DELETED products are never embedded; INACTIVE ones are (when asked by id), so re-activating one
 * needs no new job — search filters on status anyway.
 */
export async function embedProducts(db: AnyPgDatabase, embedder: Embedder, options: EmbedProductsOptions = {}): Promise<EmbedProductsResult> {
  const conditions: SQL[] = [];
  if (options.productIds) {
    if (options.productIds.length === 0) return { embedded: [], unchanged: [] };
    conditions.push(inArray(products.id, options.productIds), ne(products.status, 'DELETED'));
  } else {
    conditions.push(eq(products.status, 'ACTIVE'));
    if (!options.force && options.onlyMissing !== false) {
      conditions.push(or(isNull(productEmbeddings.productId), ne(productEmbeddings.model, embedder.model))!);
    }
  }
  const rows = await db
    .select({
      id: products.id,
      name: products.name,
      description: products.description,
      categoryName: categories.name,
      storedHash: productEmbeddings.sourceHash,
      storedModel: productEmbeddings.model,
    })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(productEmbeddings, eq(productEmbeddings.productId, products.id))
    .where(and(...conditions))
    .orderBy(products.id);

  const pending: { id: number; text: string; hash: string }[] = [];
  const unchanged: number[] = [];
  for (const row of rows) {
    const text = productEmbeddingText(row);
    const hash = await sha256Hex(text);
    if (!options.force && row.storedHash === hash && row.storedModel === embedder.model) unchanged.push(row.id);
    else pending.push({ id: row.id, text, hash });
  }

  const embedded: number[] = [];
  const batchSize = options.batchSize ?? EMBED_BATCH_SIZE;
  for (let start = 0; start < pending.length; start += batchSize) {
    const batch = pending.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map((item) => item.text));
    await db
      .insert(productEmbeddings)
      .values(batch.map((item, index) => ({ productId: item.id, embedding: vectors[index]!, model: embedder.model, sourceHash: item.hash })))
      .onConflictDoUpdate({
        target: productEmbeddings.productId,
        set: { embedding: sql`excluded.embedding`, model: sql`excluded.model`, sourceHash: sql`excluded.source_hash`, embeddedAt: sql`now()` },
      });
    embedded.push(...batch.map((item) => item.id));
  }
  return { embedded, unchanged };
}
