/**
 * Search's SQL: the keyword query (full text, prefix and name substring, ranked), the HNSW vector query and
 * hybrid's two lists in one batch. What is cached and how lists are fused is in `service.ts`.
 */
import { and, asc, cosineDistance, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';

import { productSummaryColumns, toProductSummary, type ProductSummary } from '@/catalog';
import { categories, products } from '@/catalog/tables';
import type { Db, Queryable } from '@/platform/db';
import { productEmbeddings } from '@/search/tables';

const MAX_PREFIX_TOKENS = 8;
/** pgvector's HNSW candidate list for a query; raised to the requested limit when that is larger. */
export const HNSW_EF_SEARCH = 100;

/** Scores are rounded to 6 decimals in answers. */
export const round = (value: number) => Math.round(value * 1e6) / 1e6;

export interface Scope {
  categoryId?: number | undefined;
  sellerId?: string | undefined;
}

/** ACTIVE products, optionally in a category (or one of its children — the tree has two levels) and of one seller. */
function scopeConditions(scope: Scope): SQL[] {
  const conditions: SQL[] = [eq(products.status, 'ACTIVE')];
  if (scope.categoryId !== undefined) {
    const { categoryId } = scope;
    conditions.push(
      inArray(
        products.categoryId,
        sql`(select ${categories.id} from ${categories} where ${categories.id} = ${categoryId} or ${categories.parentId} = ${categoryId})`,
      ),
    );
  }
  if (scope.sellerId !== undefined) conditions.push(eq(products.sellerId, scope.sellerId));
  return conditions;
}

/** `wire:* & head:*` for partial words as typed ("wire head" finds "wireless headphones"); null when nothing is left. */
export function prefixTsQuery(q: string): string | null {
  const tokens = q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  if (!tokens) return null;
  return tokens
    .slice(0, MAX_PREFIX_TOKENS)
    .map((token) => `${token}:*`)
    .join(' & ');
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The query for one page of keyword hits: Postgres full text (`websearch_to_tsquery`, english stemming) OR a
 * prefix query OR a name substring, ACTIVE only. Rank = text rank × (1 + avgRating/5 × 0.2 +
 * min(soldCount, 50)/50 × 0.1); the text rank is the best of the full-text rank, 0.9 × the prefix
 * rank and a small constant for a bare name match, so partial words still sort below whole ones.
 */
function keywordQuery(db: Queryable, input: Scope & { q: string; limit: number; offset: number }) {
  const q = input.q.trim();
  const web = sql`websearch_to_tsquery('english', ${q})`;
  const prefix = prefixTsQuery(q);
  const prefixTs = prefix === null ? null : sql`to_tsquery('english', ${prefix})`;
  const pattern = `%${escapeLike(q)}%`;

  const match = and(
    or(
      sql`${products.searchTsv} @@ ${web}`,
      prefixTs ? sql`${products.searchTsv} @@ ${prefixTs}` : undefined,
      ilike(products.name, pattern),
    )!,
    ...scopeConditions(input),
  )!;
  const textRank = sql`greatest(
    ts_rank(${products.searchTsv}, ${web}),
    ${prefixTs ? sql`0.9 * ts_rank(${products.searchTsv}, ${prefixTs})` : sql`0`},
    case when ${products.name} ilike ${pattern} then 0.01 else 0 end)`;
  const rank = sql<number>`(${textRank}) * (1 + coalesce(${products.avgRating}, 0) / 5 * 0.2 + least(${products.soldCount}, 50) / 50.0 * 0.1)`.mapWith(Number);

  const page = db
    .select({ ...productSummaryColumns, rank, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(match)
    .orderBy(desc(rank), asc(products.id))
    .limit(input.limit)
    .offset(input.offset);
  return { page, match };
}

type KeywordRow = Awaited<ReturnType<typeof keywordQuery>['page']>[number];
const keywordResult = (rows: KeywordRow[]) => ({ items: rows.map(toProductSummary), scores: rows.map((row) => round(row.rank)) });

/** One page of keyword hits ({@link keywordQuery}) with the total; a second count query only for a page past the end. */
export async function findKeywordMatches(
  db: Queryable,
  input: Scope & { q: string; limit: number; offset: number },
): Promise<{ items: ProductSummary[]; scores: number[]; total: number }> {
  const { page, match } = keywordQuery(db, input);
  const rows = await page;
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && input.offset > 0) {
    const [counted] = await db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(products).where(match);
    total = counted?.total ?? 0;
  }
  return { ...keywordResult(rows), total };
}

/**
 * Nearest ACTIVE products to `vector` by cosine distance (HNSW), only vectors of the same model,
 * only those at least `minSimilarity` alike — unrelated queries get nothing, not the nearest junk.
 */
function semanticQuery(db: Db, input: SemanticInput) {
  const distance = cosineDistance(productEmbeddings.embedding, input.vector.map((value) => Math.round(value * 1e7) / 1e7));
  return db
    .select({ ...productSummaryColumns, distance: sql<number>`${distance}`.mapWith(Number) })
    .from(productEmbeddings)
    .innerJoin(products, eq(products.id, productEmbeddings.productId))
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(and(eq(productEmbeddings.model, input.model), sql`${distance} <= ${1 - input.minSimilarity}`, ...scopeConditions(input)))
    .orderBy(distance)
    .limit(input.limit);
}

export type SemanticInput = Scope & { vector: number[]; model: string; limit: number; minSimilarity: number };
export type SemanticHit = { item: ProductSummary; similarity: number };

/**
 * An HNSW scan yields at most `ef_search` (default 40) rows before filters; widen it to the limit and let
 * pgvector ≥ 0.8 keep scanning while filters (status, category, seller, model) discard candidates.
 * Both settings are transaction-local: they go first in a Neon HTTP batch, which is one transaction.
 */
const hnswSettings = (db: Db, limit: number) =>
  db.execute(sql`select set_config('hnsw.ef_search', ${String(Math.max(HNSW_EF_SEARCH, limit))}, true), set_config('hnsw.iterative_scan', 'strict_order', true)`);

const semanticHits = (rows: Awaited<ReturnType<typeof semanticQuery>>): SemanticHit[] =>
  rows.map((row) => ({ item: toProductSummary(row), similarity: 1 - row.distance }));

export async function findSemanticMatches(db: Db, input: SemanticInput): Promise<SemanticHit[]> {
  if (input.vector.every((value) => value === 0)) return [];
  const [, rows] = await db.batch([hnswSettings(db, input.limit), semanticQuery(db, input)]);
  return semanticHits(rows);
}

/** Hybrid's two lists in one round trip: the HNSW settings, the vector query and the keyword query in one batch. */
export async function findHybridMatches(
  db: Db,
  keyword: Scope & { q: string; limit: number },
  semantic: SemanticInput,
): Promise<{ keyword: { items: ProductSummary[] }; semantic: SemanticHit[] }> {
  const keywordPage = keywordQuery(db, { ...keyword, offset: 0 }).page;
  if (semantic.vector.every((value) => value === 0)) return { keyword: keywordResult(await keywordPage), semantic: [] };
  const [, vectorRows, keywordRows] = await db.batch([hnswSettings(db, semantic.limit), semanticQuery(db, semantic), keywordPage]);
  return { keyword: keywordResult(keywordRows), semantic: semanticHits(vectorRows) };
}
