import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

import { getCartProducts } from '@/catalog/cart-lookup';
import { createDb } from '@/platform/db';

describe('getCartProducts', () => {
  it('reads each product once with its own first image and available stock, and skips unknown ids', async () => {
    const found = await getCartProducts(createDb(env), [2, 31, 2, 987_654_321]);
    expect(found.sort((a, b) => a.id - b.id)).toEqual([
      {
        id: 2,
        name: 'Pulse Mini True-Wireless Earbuds',
        priceCents: 5_900,
        status: 'ACTIVE',
        sellerId: '00000000-0000-0000-0000-000000000003',
        imageUrl: '/images/products/p2-1.svg',
        stockAvailable: expect.any(Number),
      },
      expect.objectContaining({ id: 31, sellerId: '00000000-0000-0000-0000-000000000004', imageUrl: expect.stringMatching(/^\/images\/products\/p31-/) }),
    ]);
  });

  it('answers an empty list without a query for no ids', async () => {
    expect(await getCartProducts(createDb(env), [])).toEqual([]);
  });
});
