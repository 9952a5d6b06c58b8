import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { productSummaryColumns, toProductSummary } from '@/catalog/summary';
import { categories, products } from '@/catalog/tables';
import { createDb } from '@/platform/db';

describe('product summary', () => {
  it('reads a seeded product with its category name, first image and exact price', async () => {
    const [row] = await createDb(env)
      .select(productSummaryColumns)
      .from(products)
      .leftJoin(categories, eq(categories.id, products.categoryId))
      .where(eq(products.id, 2));
    expect(toProductSummary(row!)).toMatchObject({
      id: 2,
      name: 'Pulse Mini True-Wireless Earbuds',
      price: 59,
      categoryId: 1,
      categoryName: 'Electronics',
      sellerId: '00000000-0000-0000-0000-000000000003',
      status: 'ACTIVE',
      thumbnailUrl: '/images/products/p2-1.svg',
      avgRating: null,
    });
  });

  it('turns cents into a 2-decimal amount without float drift', () => {
    const summary = toProductSummary({
      id: 1, name: 'x', priceCents: 1999, categoryId: null, categoryName: null, sellerId: 's', status: 'ACTIVE',
      stockQuantity: 10, stockReserved: 3, soldCount: 0, thumbnailUrl: null, avgRating: '4.50', ratingCount: 2, createdAt: new Date(0),
    });
    expect(summary).toMatchObject({ price: 19.99, stockAvailable: 7, avgRating: 4.5 });
  });
});
