import { inArray } from 'drizzle-orm';

import type { ProductStatus } from '@/catalog/tables';
import { products } from '@/catalog/tables';
import { productSummaryColumns } from '@/catalog/summary';
import type { Queryable } from '@/platform/db';

/** What the cart needs to know about a product: live price, availability, owner and picture. */
export interface CartProduct {
  id: number;
  name: string;
  priceCents: number;
  status: ProductStatus;
  sellerId: string;
  imageUrl: string | null;
  /** `stock_quantity − stock_reserved`: the Postgres mirror of the product's StockDO. */
  stockAvailable: number;
}

/**
 * Reads the products behind cart lines in one query (any status, so the cart can show a line whose
 * product was hidden). Ids that match no row are simply absent from the result.
 */
export async function getCartProducts(db: Queryable, ids: number[]): Promise<CartProduct[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await db
    .select({
      id: productSummaryColumns.id,
      name: productSummaryColumns.name,
      priceCents: productSummaryColumns.priceCents,
      status: productSummaryColumns.status,
      sellerId: productSummaryColumns.sellerId,
      imageUrl: productSummaryColumns.thumbnailUrl,
      stockQuantity: productSummaryColumns.stockQuantity,
      stockReserved: productSummaryColumns.stockReserved,
    })
    .from(products)
    .where(inArray(products.id, unique));
  return rows.map(({ stockQuantity, stockReserved, ...row }) => ({ ...row, stockAvailable: Math.max(0, stockQuantity - stockReserved) }));
}
