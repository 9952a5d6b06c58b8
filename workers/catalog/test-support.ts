import { env } from 'cloudflare:test';

import { createTestApp } from '@/app';
import { categories, productImages, products } from '@/catalog/tables';
import { signAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';
import type { AppRouter } from '@/platform/router';

/** Seeded users. Tests only read them; everything they change, they create. */
export const ADMIN = { userId: '00000000-0000-0000-0000-000000000001', email: 'admin@example.com', role: 'admin' as const, sessionVersion: 0 };
export const CUSTOMER = { userId: '00000000-0000-0000-0000-000000000002', email: 'customer@example.com', role: 'customer' as const, sessionVersion: 0 };
export const SELLER = { userId: '00000000-0000-0000-0000-000000000003', email: 'seller@example.com', role: 'seller' as const, sessionVersion: 0 };
export const OTHER_SELLER = { userId: '00000000-0000-0000-0000-000000000004', email: 'outdoors.seller@example.com', role: 'seller' as const, sessionVersion: 0 };

export type Who = typeof ADMIN | typeof CUSTOMER | typeof SELLER | typeof OTHER_SELLER;

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: Record<string, string>; requestId: string };
}

export interface Paged<T> {
  success: true;
  data: T[];
  meta: { page: number; size: number; totalElements: number; totalPages: number };
}

/** A tiny HTTP client over one router mounted behind the full middleware stack. */
export function apiClient(...routers: AppRouter[]) {
  const app = createTestApp(routers[0]!);
  for (const router of routers.slice(1)) app.route('/', router);
  const tokens = new Map<string, string>();
  const authHeader = async (who?: Who): Promise<Record<string, string>> => {
    if (!who) return {};
    let token = tokens.get(who.userId);
    if (!token) {
      token = await signAccessToken(env, who);
      tokens.set(who.userId, token);
    }
    return { authorization: `Bearer ${token}` };
  };
  const send = async (method: string, path: string, body?: unknown, who?: Who) =>
    app.request(
      path,
      {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(await authHeader(who)) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
      env,
    );
  return {
    get: (path: string, who?: Who) => send('GET', path, undefined, who),
    post: (path: string, body: unknown, who?: Who) => send('POST', path, body, who),
    put: (path: string, body: unknown, who?: Who) => send('PUT', path, body, who),
    delete: (path: string, who?: Who) => send('DELETE', path, undefined, who),
  };
}

export const errorOf = async (res: Response) => (await res.json<ErrorBody>()).error;

/** A short random tag, so names created by concurrent test files never collide. */
export const uniqueTag = () => crypto.randomUUID().slice(0, 8);

/** Inserts a category straight into the database (tests that need a private corner of the catalog). */
export async function insertCategory(parentId: number | null = null) {
  const tag = uniqueTag();
  const [row] = await createDb(env).insert(categories).values({ name: `Test ${tag}`, slug: `test-${tag}`, parentId, sortOrder: 1000 }).returning({ id: categories.id });
  return row!.id;
}

/** Inserts a product row (and optional images) directly; the stock DO initialises lazily from it. */
export async function insertProduct(values: Partial<typeof products.$inferInsert> & { images?: string[] } = {}) {
  const { images = [], ...columns } = values;
  const [row] = await createDb(env)
    .insert(products)
    .values({ sellerId: SELLER.userId, name: `Test product ${uniqueTag()}`, priceCents: 1000, stockQuantity: 10, ...columns })
    .returning({ id: products.id });
  if (images.length > 0) await createDb(env).insert(productImages).values(images.map((url, sortOrder) => ({ productId: row!.id, url, sortOrder })));
  return row!.id;
}
