import type { Cart, ProductDetail, ProductSummary } from '@/types/api';

export const SELLER_ID = '00000000-0000-0000-0000-000000000003';

export function productSummary(id: number, overrides: Partial<ProductSummary> = {}): ProductSummary {
  return {
    id,
    name: `Product ${id}`,
    price: 10 + id,
    categoryId: 1,
    categoryName: 'Electronics',
    sellerId: SELLER_ID,
    status: 'ACTIVE',
    stockAvailable: 100,
    stockReserved: 0,
    soldCount: 0,
    thumbnailUrl: `/images/products/p${id}-1.svg`,
    avgRating: null,
    ratingCount: 0,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function productDetail(id: number, overrides: Partial<ProductDetail> = {}): ProductDetail {
  return {
    ...productSummary(id),
    description: `Description of product ${id}`,
    sku: null,
    stockQuantity: 100,
    stockShards: 1,
    version: 1,
    images: [{ id: id * 10, url: `/images/products/p${id}-1.svg`, altText: null, sortOrder: 0 }],
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export const pageMeta = (totalElements: number, page = 1, size = 20) => ({
  page,
  size,
  totalElements,
  totalPages: Math.max(1, Math.ceil(totalElements / size)),
});

export function cart(items: { productId: number; quantity: number; price?: number; sellerId?: string; stock?: number }[]): Cart {
  const lines = items.map(({ productId, quantity, price = 10, sellerId = SELLER_ID, stock = 100 }) => ({
    product_id: productId,
    product_name: `Product ${productId}`,
    quantity,
    unit_price: price,
    subtotal: price * quantity,
    seller_id: sellerId,
    image_url: null,
    stock_available: stock,
    price_changed: false,
  }));
  return {
    user_id: 'u-2',
    status: 'ACTIVE',
    items: lines,
    total: lines.reduce((sum, line) => sum + line.subtotal, 0),
    updated_at: '2026-11-01T10:00:00.000Z',
  };
}

/** `GET /api/v1/countries` with the few countries the tests use. */
export const countries = () => [
  { code: 'US', name: 'United States of America', postalCodeChecked: true },
  { code: 'VN', name: 'Vietnam', postalCodeChecked: true },
  { code: 'HK', name: 'Hong Kong', postalCodeChecked: false },
];
