import { and, asc, count, desc, eq, sql } from 'drizzle-orm';

import { productNotFound } from '@/catalog/product-service';
import type { CreateReview, PublicReview, Review, UpdateReview } from '@/catalog/schema';
import { productReviews, products } from '@/catalog/tables';
import type { AppEnv, AuthUser } from '@/env';
import { publicDisplayNames } from '@/identity';
import { createNotification } from '@/notifications';
import type { DbDeps, Queryable, Tx } from '@/platform/db';
import { AppError, conflict, forbidden, notFound } from '@/platform/errors';
import { pageMeta, pageOffset, type PageMeta, type Sort } from '@/platform/pagination';

const SNIPPET_LENGTH = 80;

const reviewColumns = {
  id: productReviews.id,
  productId: productReviews.productId,
  customerId: productReviews.customerId,
  orderItemId: productReviews.orderItemId,
  rating: productReviews.rating,
  comment: productReviews.comment,
  createdAt: productReviews.createdAt,
  updatedAt: productReviews.updatedAt,
};

type ReviewRow = Omit<Review, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

const toReview = (row: ReviewRow): Review => ({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() });

/** A product's reviews, newest first by default. Public: the author is a display name, not an account id. */
export async function listReviews(
  q: Queryable,
  productId: number,
  page: { page: number; size: number; sort: Sort<'createdAt' | 'rating'> },
): Promise<{ items: PublicReview[]; meta: PageMeta }> {
  const column = page.sort.field === 'rating' ? productReviews.rating : productReviews.createdAt;
  const direction = page.sort.direction === 'ASC' ? asc : desc;
  const [rows, [total]] = await Promise.all([
    q
      .select(reviewColumns)
      .from(productReviews)
      .where(eq(productReviews.productId, productId))
      .orderBy(direction(column), desc(productReviews.id))
      .limit(page.size)
      .offset(pageOffset(page)),
    q.select({ total: count() }).from(productReviews).where(eq(productReviews.productId, productId)),
  ]);
  const authors = await publicDisplayNames(q, rows.map((row) => row.customerId));
  const items = rows.map(({ customerId, ...row }) => ({
    ...row,
    authorName: authors.get(customerId)!,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
  return { items, meta: pageMeta(page.page, page.size, total?.total ?? 0) };
}

/** The caller's review of one purchased line, or `null`. */
export async function findReviewByOrderItem(q: Queryable, user: AuthUser, productId: number, orderItemId: string): Promise<Review | null> {
  const [row] = await q
    .select(reviewColumns)
    .from(productReviews)
    .where(and(eq(productReviews.orderItemId, orderItemId), eq(productReviews.productId, productId), eq(productReviews.customerId, user.id)));
  return row ? toReview(row) : null;
}

/** Locks the product row: review writes on one product are serialized, so the aggregate is exact. */
async function lockProduct(tx: Tx, productId: number) {
  const [product] = await tx.select({ name: products.name, sellerId: products.sellerId }).from(products).where(eq(products.id, productId)).for('update');
  if (!product) throw productNotFound(productId);
  return product;
}

/** Recomputes `avg_rating` (2 dp) and `rating_count` from the reviews, inside the writing transaction. */
async function recomputeRating(tx: Tx, productId: number): Promise<void> {
  await tx
    .update(products)
    .set({
      avgRating: sql`(select round(avg(${productReviews.rating})::numeric, 2) from ${productReviews} where ${productReviews.productId} = ${productId})`,
      ratingCount: sql`(select count(*)::int from ${productReviews} where ${productReviews.productId} = ${productId})`,
      updatedAt: sql`${products.updatedAt}`,
    })
    .where(eq(products.id, productId));
}

function reviewBody(rating: number, comment: string | null | undefined): string {
  const text = (comment ?? '').trim().replace(/\s+/g, ' ');
  if (!text) return `${rating}/5`;
  return `${rating}/5 ${text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text}`;
}

/**
 * A verified purchase's review: the line must be the caller's, of this product, in a DELIVERED
 * order (403 `PURCHASE_NOT_VERIFIED`), and reviewed at most once (409 `ALREADY_REVIEWED`). The
 * rating aggregate and the seller's notification are written in the same transaction.
 */
/**
 * The verified purchase a review needs: the customer's order line `orderItemId` of `productId` in a DELIVERED order,
 * else null. Orders answers it (workers/orders/purchases.ts); the composition layer hands it in, so the catalog,
 * below orders, does not import it.
 */
export type FindDeliveredPurchase = (q: Queryable, input: { customerId: string; orderItemId: string; productId: number }) => Promise<object | null>;

/** What the review routes need: the database and orders' verified-purchase check. */
export interface ReviewDeps extends DbDeps {
  findDeliveredPurchase: FindDeliveredPurchase;
}

export type MakeReviewDeps = (env: AppEnv) => ReviewDeps;

export async function createReview(deps: ReviewDeps, user: AuthUser, productId: number, input: CreateReview): Promise<Review> {
  return deps.transaction(async (tx) => {
    const product = await lockProduct(tx, productId);
    const purchase = await deps.findDeliveredPurchase(tx, { customerId: user.id, orderItemId: input.orderItemId, productId });
    if (!purchase) throw new AppError(403, 'PURCHASE_NOT_VERIFIED', 'Only a delivered purchase of this product can be reviewed');
    const [row] = await tx
      .insert(productReviews)
      .values({ productId, customerId: user.id, orderItemId: input.orderItemId, rating: input.rating, comment: input.comment ?? null })
      .onConflictDoNothing({ target: productReviews.orderItemId })
      .returning(reviewColumns);
    if (!row) throw conflict('ALREADY_REVIEWED', 'This purchase has already been reviewed; edit the existing review instead');
    await recomputeRating(tx, productId);
    await createNotification(tx, {
      userId: product.sellerId,
      type: 'REVIEW',
      title: `${product.name} received a review`,
      body: reviewBody(input.rating, input.comment),
      productId,
    });
    return toReview(row);
  });
}

/** The author edits their review; the aggregate is recomputed and the seller told. */
export async function updateReview(deps: DbDeps, user: AuthUser, productId: number, reviewId: number, input: UpdateReview): Promise<Review> {
  return deps.transaction(async (tx) => {
    const product = await lockProduct(tx, productId);
    const [existing] = await tx
      .select({ customerId: productReviews.customerId, rating: productReviews.rating, comment: productReviews.comment })
      .from(productReviews)
      .where(and(eq(productReviews.id, reviewId), eq(productReviews.productId, productId)));
    if (!existing) throw notFound('REVIEW_NOT_FOUND', `Review ${reviewId} was not found`);
    if (existing.customerId !== user.id) throw forbidden('Only the author can edit a review');
    const rating = input.rating ?? existing.rating;
    const comment = input.comment === undefined ? existing.comment : input.comment;
    const [row] = await tx
      .update(productReviews)
      .set({ rating, comment })
      .where(eq(productReviews.id, reviewId))
      .returning(reviewColumns);
    await recomputeRating(tx, productId);
    await createNotification(tx, {
      userId: product.sellerId,
      type: 'REVIEW',
      title: `${product.name} review was updated`,
      body: reviewBody(rating, comment),
      productId,
    });
    return toReview(row!);
  });
}
