import { bigint, char, index, pgTable, timestamp, varchar, vector } from 'drizzle-orm/pg-core';

import { products } from '@/catalog/tables';
import { EMBEDDING_DIMENSIONS } from '@/search/embedder';

/** One vector per product and model, written by the embedding-jobs consumer (workers/search/embedding-jobs.ts). */
export const productEmbeddings = pgTable(
  'product_embeddings',
  {
    productId: bigint({ mode: 'number' })
      .primaryKey()
      .references(() => products.id, { onDelete: 'cascade' }),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    model: varchar({ length: 100 }).notNull(),
    /** SHA-256 hex of the embedded text: unchanged text is never re-embedded. */
    sourceHash: char({ length: 64 }).notNull(),
    embeddedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('product_embeddings_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops'))],
);
