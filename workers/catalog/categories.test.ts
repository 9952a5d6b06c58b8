import { describe, expect, it } from 'vitest';

import { nextFreeSlug, slugify } from '@/catalog/category-service';
import { createCategoriesRouter } from '@/catalog/routes';
import { dbDepsFromEnv } from '@/composition';
import type { Category } from '@/catalog/schema';
import { ADMIN, apiClient, CUSTOMER, errorOf, SELLER, uniqueTag, type Who } from '@/catalog/test-support';

const api = apiClient(createCategoriesRouter(dbDepsFromEnv));

async function create(name: string, extra: Record<string, unknown> = {}, who: Who = SELLER) {
  const res = await api.post('/api/v1/categories', { name, ...extra }, who);
  return { res, body: res.status === 201 ? (await res.json<{ data: Category }>()).data : undefined };
}

describe('slugify', () => {
  it.each([
    ['Home & Kitchen', 'home-kitchen'],
    ['Café Déjà Vu', 'cafe-deja-vu'],
    ['  Ångström   Über-Größe ', 'angstrom-uber-grosse'],
    ['Men\u2019s Clothing', 'men-s-clothing'],
    ['日本', 'category'],
  ])('turns %j into %j', (name, slug) => expect(slugify(name)).toBe(slug));

  it('keeps room for a suffix inside the 100-character column', () => {
    expect(slugify('x'.repeat(300)).length).toBeLessThanOrEqual(94);
  });

  it('picks the lowest free numeric suffix', () => {
    expect(nextFreeSlug('a', [])).toBe('a');
    expect(nextFreeSlug('a', ['a'])).toBe('a-2');
    expect(nextFreeSlug('a', ['a', 'a-2', 'a-4'])).toBe('a-3');
  });
});

describe('GET /api/v1/categories', () => {
  it('lists the seeded categories in sort order with the wire shape', async () => {
    const res = await api.get('/api/v1/categories');
    expect(res.status).toBe(200);
    const { data } = await res.json<{ data: Category[] }>();
    expect(data.find((category) => category.id === 1)).toEqual({ id: 1, name: 'Electronics', slug: 'electronics', parentId: null, sortOrder: 1 });
    const orders = data.map((category) => category.sortOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('filters by a case-insensitive name substring and treats % literally', async () => {
    const { data } = await (await api.get('/api/v1/categories?q=KITCH')).json<{ data: Category[] }>();
    expect(data.map((category) => category.slug)).toContain('home-kitchen');
    expect(data.every((category) => /kitch/i.test(category.name))).toBe(true);
    // Other test files share the database and may create names with a literal % (the security suite does):
    // "literally" means every match contains a %, not that every category matches.
    const percent = await (await api.get('/api/v1/categories?q=%25')).json<{ data: Category[] }>();
    expect(percent.data.every((category) => category.name.includes('%'))).toBe(true);
    expect(percent.data.map((category) => category.slug)).not.toContain('home-kitchen');
  });

  it('returns one category by slug and 404s an unknown one', async () => {
    const res = await api.get('/api/v1/categories/footwear');
    expect((await res.json<{ data: Category }>()).data).toMatchObject({ id: 5, name: 'Footwear' });
    const missing = await api.get('/api/v1/categories/no-such-category');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('CATEGORY_NOT_FOUND');
    expect((await api.get('/api/v1/categories/Not%20A%20Slug')).status).toBe(400);
  });
});

describe('POST /api/v1/categories', () => {
  it('creates a category with an accent-free kebab slug and suffixes collisions -2, -3', async () => {
    const name = `Café Déjà ${uniqueTag()}`;
    const first = await create(name);
    expect(first.res.status).toBe(201);
    expect(first.body).toMatchObject({ name, slug: slugify(name), parentId: null });
    expect(first.body!.slug).toMatch(/^cafe-deja-[a-z0-9-]+$/);
    const second = await create(name, {}, ADMIN);
    const third = await create(name.toUpperCase());
    expect(second.body!.slug).toBe(`${first.body!.slug}-2`);
    expect(third.body!.slug).toBe(`${first.body!.slug}-3`);
    expect(third.body!.sortOrder).toBeGreaterThan(first.body!.sortOrder);
  });

  it('gives concurrent creations of one name distinct slugs', async () => {
    const name = `Race ${uniqueTag()}`;
    const results = await Promise.all([create(name), create(name), create(name)]);
    const slugs = results.map((result) => result.body?.slug);
    expect(new Set(slugs).size).toBe(3);
  });

  it('nests under a root category but not two levels deep', async () => {
    const child = await create(`Headsets ${uniqueTag()}`, { parentId: 1 });
    expect(child.res.status).toBe(201);
    expect(child.body!.parentId).toBe(1);
    const grandchild = await create(`Too Deep ${uniqueTag()}`, { parentId: child.body!.id });
    expect(grandchild.res.status).toBe(400);
    expect((await errorOf(grandchild.res)).details).toHaveProperty('parentId');
    const orphan = await create(`Orphan ${uniqueTag()}`, { parentId: 987654 });
    expect(orphan.res.status).toBe(400);
  });

  it.each([
    ['an empty name', { name: '   ' }],
    ['a long name', { name: 'x'.repeat(101) }],
    ['an unknown field', { name: 'ok', slug: 'mine' }],
    ['a string parent', { name: 'ok', parentId: 'one' }],
  ])('rejects %s with 400 VALIDATION_ERROR', async (_label, body) => {
    const res = await api.post('/api/v1/categories', body, SELLER);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('VALIDATION_ERROR');
  });

  it('is for sellers and admins only', async () => {
    expect((await api.post('/api/v1/categories', { name: 'Nope' })).status).toBe(401);
    const res = await api.post('/api/v1/categories', { name: 'Nope' }, CUSTOMER);
    expect(res.status).toBe(403);
  });
});
