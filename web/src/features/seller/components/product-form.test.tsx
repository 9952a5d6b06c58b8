import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';

import { moved, type ProductFormValues, validateProductForm } from '@/features/seller/components/product-form';
import { useAuthStore } from '@/stores/auth-store';
import { cart, pageMeta, productDetail, productSummary, SELLER_ID } from '@/testing/fixtures';
import { errorResponse, mockFetch, successResponse } from '@/testing/mock-fetch';
import { renderApp } from '@/testing/render-app';

const valid: ProductFormValues = {
  name: 'Desk Lamp',
  sku: '',
  description: '',
  price: '19.99',
  stock: '10',
  stockDelta: '',
  categoryId: null,
  status: 'ACTIVE',
  images: [],
};

const categories = [
  { id: 1, name: 'Electronics', slug: 'electronics', parentId: null, sortOrder: 1 },
  { id: 3, name: 'Home & Kitchen', slug: 'home-kitchen', parentId: null, sortOrder: 3 },
];

const chrome = {
  'GET /api/v1/cart': () => successResponse(cart([])),
  'GET /api/v1/orders/notifications': () => successResponse({ unreadCount: 0, items: [] }),
  'GET /api/v1/categories': () => successResponse(categories),
};

beforeEach(() => {
  useAuthStore.getState().setSession({
    access_token: 'a',
    refresh_token: 'r',
    user: { id: SELLER_ID, email: 'seller@example.com', role: 'seller', first_name: 'Jane', last_name: 'Smith' },
  });
});

describe('validateProductForm', () => {
  it('accepts a complete product', () => {
    expect(validateProductForm(valid, 'create')).toEqual({});
  });

  it('mirrors the server rules for name, price, stock and images', () => {
    expect(validateProductForm({ ...valid, name: ' ' }, 'create').name).toBe('Enter a product name.');
    expect(validateProductForm({ ...valid, name: 'x'.repeat(201) }, 'create').name).toMatch(/at most 200/);
    expect(validateProductForm({ ...valid, price: '1.999' }, 'create').price).toMatch(/2 decimals/);
    expect(validateProductForm({ ...valid, price: '-1' }, 'create').price).toMatch(/0 to 1,000,000/);
    expect(validateProductForm({ ...valid, price: '1000000.01' }, 'create').price).toMatch(/0 to 1,000,000/);
    expect(validateProductForm({ ...valid, stock: '2.5' }, 'create').stock).toMatch(/whole number/);
    // Bounds the form never restated before it used the server's schema: 10,000,000 units at most, SKU wording.
    expect(validateProductForm({ ...valid, stock: '10000001' }, 'create').stock).toMatch(/whole number/);
    expect(validateProductForm({ ...valid, stock: '10000000' }, 'create').stock).toBeUndefined();
    expect(validateProductForm({ ...valid, sku: 'AB C' }, 'create').sku).toBe('Use letters, digits and . _ - / only');
    expect(validateProductForm({ ...valid, sku: 'x'.repeat(65) }, 'create').sku).toMatch(/at most 64/);
    expect(validateProductForm({ ...valid, stock: '' }, 'edit').stock).toBeUndefined();
    expect(validateProductForm({ ...valid, stockDelta: '-3' }, 'edit').stockDelta).toMatch(/whole number/);
    const images = validateProductForm({ ...valid, images: [{ url: 'javascript:alert(1)', altText: '' }, { url: 'https://x.test/a.png', altText: '' }] }, 'create');
    expect(images.imageRows).toEqual({ 0: 'Enter an http(s) URL or a /images/… path, or remove this row.' });
    const paths = validateProductForm({ ...valid, images: [{ url: '/images/products/p1-1.svg', altText: '' }, { url: '/etc/passwd', altText: '' }, { url: '/images/../x', altText: '' }] }, 'create');
    expect(Object.keys(paths.imageRows ?? {})).toEqual(['1', '2']);
    const six = Array.from({ length: 6 }, () => ({ url: 'https://x.test/a.png', altText: '' }));
    expect(validateProductForm({ ...valid, images: six }, 'create').images).toMatch(/at most 5/);
  });
});

describe('seller product pages', () => {
  it('creates a product with a newly created category and one image', async () => {
    const { requestsTo } = mockFetch({
      ...chrome,
      'POST /api/v1/categories': () => successResponse({ id: 9, name: 'Lighting', slug: 'lighting', parentId: null, sortOrder: 9 }, undefined, 201),
      'POST /api/v1/products': (r) => successResponse(productDetail(41, r.body as object), undefined, 201),
      'GET /api/v1/products': () => successResponse([productSummary(41)], pageMeta(1)),
    });
    const { router } = renderApp('/seller/products/new');

    fireEvent.click(await screen.findByRole('button', { name: 'Create product' }));
    expect(await screen.findByText('Enter a product name.')).toBeTruthy();
    expect(requestsTo('POST /api/v1/products')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Name *'), { target: { value: 'Desk Lamp' } });
    fireEvent.change(screen.getByLabelText('Price (USD) *'), { target: { value: '19.99' } });
    fireEvent.change(screen.getByLabelText('Stock *'), { target: { value: '12' } });
    const combo = screen.getByRole('combobox', { name: 'Category' });
    fireEvent.focus(combo);
    fireEvent.change(combo, { target: { value: 'Lighting' } });
    fireEvent.click(screen.getByRole('option', { name: '+ Create “Lighting”' }));
    await waitFor(() => expect(requestsTo('POST /api/v1/categories')[0]?.body).toEqual({ name: 'Lighting' }));
    fireEvent.click(screen.getByRole('button', { name: '+ Add an image by URL' }));
    fireEvent.change(screen.getByLabelText('Image 1 URL'), { target: { value: 'https://img.test/lamp.png' } });
    fireEvent.change(screen.getByLabelText('Image 1 description'), { target: { value: 'Lamp on a desk' } });

    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/seller/products'));
    expect(requestsTo('POST /api/v1/products')[0]?.body).toEqual({
      name: 'Desk Lamp',
      price: 19.99,
      categoryId: 9,
      stockQuantity: 12,
      images: [{ url: 'https://img.test/lamp.png', altText: 'Lamp on a desk', sortOrder: 0 }],
    });
  });

  it('edits with the current stock read-only, sends stockDelta and version, and explains a 409', async () => {
    let attempt = 0;
    const { requestsTo } = mockFetch({
      ...chrome,
      'GET /api/v1/products/7': () => successResponse(productDetail(7, { name: 'Keyboard', price: 89, stockQuantity: 400, version: 3, categoryId: 1 })),
      'PUT /api/v1/products/7': () =>
        ++attempt === 1
          ? errorResponse(409, 'CONCURRENT_MODIFICATION', 'stale version')
          : successResponse(productDetail(7, { name: 'Keyboard', version: 4 })),
      'GET /api/v1/products': () => successResponse([productSummary(7)], pageMeta(1)),
    });
    const { router } = renderApp('/seller/products/7/edit');

    const current = (await screen.findByLabelText('Current stock')) as HTMLInputElement;
    expect(current.value).toBe('400');
    expect(current.readOnly).toBe(true);
    expect((screen.getByRole('combobox', { name: 'Category' }) as HTMLInputElement).value).toBe('Electronics');
    fireEvent.change(screen.getByLabelText(/^Add more stock/), { target: { value: '25' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'INACTIVE' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText(/Someone changed this product/)).toBeTruthy();
    expect(requestsTo('PUT /api/v1/products/7')[0]?.body).toMatchObject({
      stockDelta: 25,
      status: 'INACTIVE',
      version: 3,
      price: 89,
      categoryId: 1,
    });
    expect(requestsTo('PUT /api/v1/products/7')[0]?.body).not.toHaveProperty('stockQuantity');

    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/seller/products'));
  });

  it('lists own products with sort chips and deletes after an inline confirm', async () => {
    const { requestsTo } = mockFetch({
      ...chrome,
      'GET /api/v1/products': () => successResponse([productSummary(7, { name: 'Keyboard' })], pageMeta(1)),
      'DELETE /api/v1/products/7': () => new Response(null, { status: 204 }),
    });
    renderApp('/seller/products');

    expect(await screen.findByRole('link', { name: 'Keyboard' })).toBeTruthy();
    expect(requestsTo('GET /api/v1/products')[0]?.url).toContain(`sellerId=${SELLER_ID}`);
    expect(requestsTo('GET /api/v1/products')[0]?.url).toContain('status=ALL');

    fireEvent.click(screen.getByRole('button', { name: 'Highest Rated' }));
    await waitFor(() => expect(requestsTo('GET /api/v1/products').some((r) => r.url.includes('ratedOnly=true') && r.url.includes('sort=avgRating%2CDESC'))).toBe(true));

    fireEvent.click(screen.getByRole('button', { name: 'Delete Keyboard' }));
    expect(requestsTo('DELETE /api/v1/products/7')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm delete' }));
    await waitFor(() => expect(requestsTo('DELETE /api/v1/products/7')).toHaveLength(1));
  });
});

describe('moved', () => {
  it('moves one item and keeps the others in order', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });
});
