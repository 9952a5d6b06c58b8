import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';

import { recordAdminAction } from '@/platform/audit';
import { assertCategoryExists, categoryWithChildren } from '@/catalog/category-service';
import type { EmbeddingJobQueue } from '@/catalog/embedding-jobs';
import { type CreateProduct, type ProductDetail, type ProductListQuery, type PRODUCT_SORT_FIELDS, type UpdateProduct } from '@/catalog/schema';
import { changeOnHand, growStockShards, initProductStock, mirrorStock, type StockDeps } from '@/catalog/stock';
import { productSummaryColumns, toProductSummary, type ProductSummary, type ProductSummaryRow } from '@/catalog/summary';
import { categories, productImages, products, type ProductStatus } from '@/catalog/tables';
import type { AppEnv, AuthUser } from '@/env';
import { isUniqueViolation, type DbDeps, type Queryable, type Tx } from '@/platform/db';
import { conflict, forbidden, notFound } from '@/platform/errors';
import { pageMeta, pageOffset, type PageMeta, type Sort } from '@/platform/pagination';
import { bumpCatalogGeneration } from '@/catalog/generation';
import { amountToCents } from '@contract/money';

type ProductSortField = (typeof PRODUCT_SORT_FIELDS)[number];

/** What the catalog's product and inventory routes need: the request's database, the stock port and the embedding-jobs queue. */
export interface CatalogDeps extends DbDeps {
  stock: StockDeps;
  /** Where a product whose text changed is sent to be embedded again (null: no queue bound). */
  embeddingJobs: EmbeddingJobQueue | null;
}

/** Builds a request's {@link CatalogDeps} from its `env` (the composition root's `catalogDepsFromEnv`). */
export type MakeCatalogDeps = (env: AppEnv) => CatalogDeps;

const SORT_COLUMNS = {
  createdAt: products.createdAt,
  price: products.priceCents,
  avgRating: products.avgRating,
  soldCount: products.soldCount,
  name: products.name,
} as const;

/** Sort, then newest id, so pages never overlap or skip rows; unrated products sort last either way. */
function productOrderBy(sort: Sort<ProductSortField>): SQL[] {
  const column = SORT_COLUMNS[sort.field];
  const primary = sort.direction === 'ASC' ? sql`${column} asc nulls last` : sql`${column} desc nulls last`;
  return [primary, desc(products.id)];
}

/** Sellers see their own hidden products; admins see everyone's. */
const canSeeHidden = (user: AuthUser | undefined, sellerId: string) => user !== undefined && (user.role === 'admin' || user.id === sellerId);

/**
 * Which statuses the caller may list. Without `status` only ACTIVE products are listed. Asking for
 * INACTIVE, DELETED or ALL needs `sellerId` = the caller (or an admin caller) — otherwise 403
 * `ACCESS_DENIED` rather than a silently different list (the seed leaked them).
 */
function visibleStatuses(user: AuthUser | undefined, query: Pick<ProductListQuery, 'status' | 'sellerId'>): ProductStatus[] | 'ALL' {
  const status = query.status ?? 'ACTIVE';
  if (status === 'ACTIVE') return ['ACTIVE'];
  const allowed = user?.role === 'admin' || (user !== undefined && query.sellerId === user.id);
  if (!allowed) throw forbidden('Only the seller (or an admin) may list hidden products; pass sellerId of your own shop');
  return status === 'ALL' ? 'ALL' : [status];
}

export interface ProductPage {
  items: ProductSummary[];
  meta: PageMeta;
}

async function summaryPage(q: Queryable, where: SQL | undefined, sort: Sort<ProductSortField>, page: { page: number; size: number }): Promise<ProductPage> {
  const [rows, [total]] = await Promise.all([
    q
      .select(productSummaryColumns)
      .from(products)
      .leftJoin(categories, eq(categories.id, products.categoryId))
      .where(where)
      .orderBy(...productOrderBy(sort))
      .limit(page.size)
      .offset(pageOffset(page)),
    q.select({ total: count() }).from(products).where(where),
  ]);
  return { items: (rows as ProductSummaryRow[]).map(toProductSummary), meta: pageMeta(page.page, page.size, total?.total ?? 0) };
}

/** `GET /products`: filters, sort whitelist and 1-based pages. */
export async function listProducts(q: Queryable, user: AuthUser | undefined, query: ProductListQuery): Promise<ProductPage> {
  const statuses = visibleStatuses(user, query);
  const filters: (SQL | undefined)[] = [
    statuses === 'ALL' ? undefined : inArray(products.status, statuses),
    query.sellerId ? eq(products.sellerId, query.sellerId) : undefined,
    query.q ? nameSkuOrId(query.q) : undefined,
    query.categoryId ? inArray(products.categoryId, categoryWithChildren(query.categoryId)) : undefined,
    query.ratedOnly ? gt(products.ratingCount, 0) : undefined,
    query.inStock === true ? gt(products.stockQuantity, products.stockReserved) : undefined,
    query.inStock === false ? lte(products.stockQuantity, products.stockReserved) : undefined,
    query.minPrice !== undefined ? gte(products.priceCents, amountToCents(query.minPrice)) : undefined,
    query.maxPrice !== undefined ? lte(products.priceCents, amountToCents(query.maxPrice)) : undefined,
  ];
  return summaryPage(q, and(...filters), query.sort, query);
}

/** Name or SKU containing the text (any case, `%` and `_` taken literally), or the product of that id. */
function nameSkuOrId(text: string): SQL | undefined {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const id = /^\d{1,15}$/.test(text) ? eq(products.id, Number(text)) : undefined;
  return or(ilike(products.name, pattern), ilike(products.sku, pattern), id);
}

export const productNotFound = (id: number) => notFound('PRODUCT_NOT_FOUND', `Product ${id} was not found`);

/** The product detail; hidden (INACTIVE/DELETED) products exist only for their seller and admins. */
export async function getProductDetail(q: Queryable, user: AuthUser | undefined, id: number): Promise<ProductDetail> {
  const [[row], images] = await Promise.all([
    q
      .select({ ...productSummaryColumns, description: products.description, sku: products.sku, stockShards: products.stockShards, version: products.version, updatedAt: products.updatedAt })
      .from(products)
      .leftJoin(categories, eq(categories.id, products.categoryId))
      .where(eq(products.id, id)),
    q
      .select({ id: productImages.id, url: productImages.url, altText: productImages.altText, sortOrder: productImages.sortOrder })
      .from(productImages)
      .where(eq(productImages.productId, id))
      .orderBy(asc(productImages.sortOrder), asc(productImages.id)),
  ]);
  if (!row || (row.status !== 'ACTIVE' && !canSeeHidden(user, row.sellerId))) throw productNotFound(id);
  return {
    ...toProductSummary(row as ProductSummaryRow),
    description: row.description,
    sku: row.sku,
    stockQuantity: row.stockQuantity,
    stockShards: row.stockShards,
    version: row.version,
    images,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * 404 `PRODUCT_NOT_FOUND` unless the product exists and the caller may see it (the rule of the product detail).
 * Callers that then reach the product's StockDO never create one for an unknown or hidden id.
 */
export async function assertProductVisible(q: Queryable, user: AuthUser | undefined, id: number): Promise<void> {
  const [product] = await q.select({ status: products.status, sellerId: products.sellerId }).from(products).where(eq(products.id, id));
  if (!product || (product.status !== 'ACTIVE' && !canSeeHidden(user, product.sellerId))) throw productNotFound(id);
}

/** Other ACTIVE products of the same category (none when it has no category). */
export async function listRelatedProducts(
  q: Queryable,
  user: AuthUser | undefined,
  id: number,
  query: { page: number; size: number; sort: Sort<ProductSortField> },
): Promise<ProductPage> {
  const [product] = await q.select({ categoryId: products.categoryId, status: products.status, sellerId: products.sellerId }).from(products).where(eq(products.id, id));
  if (!product || (product.status !== 'ACTIVE' && !canSeeHidden(user, product.sellerId))) throw productNotFound(id);
  if (product.categoryId === null) return { items: [], meta: pageMeta(query.page, query.size, 0) };
  const where = and(eq(products.categoryId, product.categoryId), eq(products.status, 'ACTIVE'), ne(products.id, id));
  return summaryPage(q, where, query.sort, query);
}

type ImageInput = NonNullable<CreateProduct['images']>[number];

const imageRows = (productId: number, images: readonly ImageInput[]) =>
  images.map((image, index) => ({ productId, url: image.url, altText: image.altText ?? null, sortOrder: image.sortOrder ?? index }));

/**
 * A seller lists a product: ACTIVE, owned by the caller, its StockDO seeded with `stockQuantity`.
 * The row and its images are written in one transaction; the DO is seeded after the commit (if
 * that call is lost, the DO seeds itself lazily from the same row).
 */
export async function createProduct(deps: CatalogDeps, seller: AuthUser, input: CreateProduct): Promise<ProductDetail> {
  const id = await skuMustBeFree(() => deps.transaction(async (tx) => {
    if (input.categoryId) await assertCategoryExists(tx, input.categoryId);
    const [row] = await tx
      .insert(products)
      .values({
        sellerId: seller.id,
        categoryId: input.categoryId ?? null,
        name: input.name,
        sku: input.sku ?? null,
        description: input.description ?? null,
        priceCents: amountToCents(input.price),
        status: 'ACTIVE',
        stockQuantity: input.stockQuantity,
      })
      .returning({ id: products.id });
    if (input.images.length > 0) await tx.insert(productImages).values(imageRows(row!.id, input.images));
    return row!.id;
  }));
  await initProductStock(deps.stock, id, input.stockQuantity);
  await bumpCatalogGeneration();
  return getProductDetail(deps.db, seller, id);
}

/** A write that reuses one of the seller's SKUs is a 409 `SKU_TAKEN` (the partial unique index decides, not a read). */
async function skuMustBeFree<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('SKU_TAKEN', 'You already have a product with this SKU', { sku: 'already used by another of your products' });
    throw err;
  }
}

/** Loads and locks a product for a write by its seller or an admin (404 / 403 `ACCESS_DENIED` otherwise). */
export async function lockOwnedProduct(tx: Tx, user: AuthUser, id: number) {
  const [row] = await tx
    .select({
      sellerId: products.sellerId,
      status: products.status,
      version: products.version,
      stockShards: products.stockShards,
      name: products.name,
      description: products.description,
      categoryId: products.categoryId,
    })
    .from(products)
    .where(eq(products.id, id))
    .for('update');
  if (!row) throw productNotFound(id);
  if (user.role !== 'admin' && row.sellerId !== user.id) throw forbidden('You can only change your own products');
  return row;
}

export interface ProductWrite {
  product: ProductDetail;
  /** Name, description or category changed: the embedding must be recomputed. */
  textChanged: boolean;
}

/**
 * Partial update by the owner or an admin, under a row lock. `version`, when sent, must match
 * (409 `CONCURRENT_MODIFICATION`); every write bumps it. Stock goes through the StockDO —
 * `stockDelta` (preferred, no lost updates) or an absolute `stockQuantity`, never below the
 * reserved units — and the DO's new counts are mirrored in the same transaction. All checks run
 * before the DO is touched, so a refused update changes nothing.
 */
export async function updateProduct(deps: CatalogDeps, user: AuthUser, id: number, input: UpdateProduct): Promise<ProductWrite> {
  const textChanged = await skuMustBeFree(() => deps.transaction(async (tx) => {
    const current = await lockOwnedProduct(tx, user, id);
    if (input.version !== undefined && input.version !== current.version) {
      throw conflict('CONCURRENT_MODIFICATION', `The product was changed meanwhile (version ${current.version}); reload and retry`);
    }
    if (input.categoryId) await assertCategoryExists(tx, input.categoryId);

    // Shards grow before a stock edit, so the edit is spread over the new shards.
    if (input.stockShards !== undefined) await growStockShards(deps.stock, tx, id, current.stockShards, input.stockShards);
    if (input.stockDelta !== undefined || input.stockQuantity !== undefined) {
      const change = input.stockDelta !== undefined ? { delta: input.stockDelta } : { onHand: input.stockQuantity! };
      await mirrorStock(tx, await changeOnHand(deps.stock, tx, id, change));
    }
    await tx
      .update(products)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.sku !== undefined && { sku: input.sku }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.price !== undefined && { priceCents: amountToCents(input.price) }),
        ...(input.categoryId !== undefined && { categoryId: input.categoryId }),
        ...(input.status !== undefined && { status: input.status }),
        version: sql`${products.version} + 1`,
      })
      .where(eq(products.id, id));
    if (input.images !== undefined) {
      await tx.delete(productImages).where(eq(productImages.productId, id));
      if (input.images.length > 0) await tx.insert(productImages).values(imageRows(id, input.images));
    }
    if (user.role === 'admin') {
      const { version: _version, stockDelta: _delta, stockQuantity: _onHand, images: _images, ...changed } = input;
      const action = input.status === 'ACTIVE' && current.status !== 'ACTIVE' ? 'product.restored' : input.status !== undefined && input.status !== 'ACTIVE' && current.status === 'ACTIVE' ? 'product.hidden' : 'product.updated';
      await recordAdminAction(tx, { actor: user, action, targetType: 'product', targetId: id, before: { status: current.status, version: current.version }, after: { ...changed, version: current.version + 1 } });
    }
    return (
      (input.name !== undefined && input.name !== current.name) ||
      (input.description !== undefined && (input.description ?? null) !== current.description) ||
      (input.categoryId !== undefined && (input.categoryId ?? null) !== current.categoryId)
    );
  }));
  // Every product write: suggestions and the cached public lists and details (price, images, stock set by the seller) change.
  await bumpCatalogGeneration();
  return { product: await getProductDetail(deps.db, user, id), textChanged };
}

/** Soft delete (status DELETED) by the owner or an admin; deleting twice changes nothing. */
export async function deleteProduct(deps: DbDeps, user: AuthUser, id: number): Promise<void> {
  await deps.transaction(async (tx) => {
    const current = await lockOwnedProduct(tx, user, id);
    if (current.status === 'DELETED') return;
    await tx
      .update(products)
      .set({ status: 'DELETED', version: sql`${products.version} + 1` })
      .where(eq(products.id, id));
    if (user.role === 'admin') await recordAdminAction(tx, { actor: user, action: 'product.deleted', targetType: 'product', targetId: id, before: { status: current.status, version: current.version }, after: { status: 'DELETED', version: current.version + 1 } });
  });
  await bumpCatalogGeneration();
}
