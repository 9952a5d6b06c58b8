import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const get = (path: string) => SELF.fetch(`http://shop.test${path}`);

describe('catalog through the Worker entry', () => {
  it('serves categories, a product, its reviews and its stock from the full app', async () => {
    expect((await get('/api/v1/categories')).status).toBe(200);
    expect((await get('/api/v1/categories/books')).status).toBe(200);
    const product = await get('/api/v1/products/6');
    expect(product.status).toBe(200);
    expect((await product.json<{ data: { name: string } }>()).data.name).toBe('Nimbus 14" Ultrabook 16 GB / 512 GB');
    expect((await get('/api/v1/products/6/reviews')).status).toBe(200);
    const stock = await get('/api/v1/inventory/6');
    expect(await stock.json()).toMatchObject({ success: true, data: { productId: 6, stockQuantity: 200, stockReserved: 0, availableStock: 200 } });
  });

  it('documents every catalog route in the OpenAPI document', async () => {
    const doc = await (await get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/v1/products/{id}']!).sort()).toEqual(['delete', 'get', 'put']);
    for (const path of ['/api/v1/categories', '/api/v1/categories/{slug}', '/api/v1/products', '/api/v1/products/{id}/related', '/api/v1/inventory/{productId}', '/api/v1/products/{productId}/reviews/{reviewId}']) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});
