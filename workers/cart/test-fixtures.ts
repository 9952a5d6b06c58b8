import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';

import { products, type ProductStatus } from '@/catalog/tables';
import type { AuthUser } from '@/env';
import { userProfiles, users, type UserRole } from '@/identity/tables';
import { signAccessToken } from '@/identity/tokens';
import { newId } from '@/platform/columns';
import { createDb } from '@/platform/db';

/** A user of this test run only (the database is shared by every test file), with a valid access token. */
export interface TestUser extends AuthUser {
  token: string;
  /**
   * Request headers acting as this user: the bearer token plus a client address of its own, so the
   * per-IP API rate limit (shared by every test file of the run) is not spent by one busy file.
   */
  auth: { authorization: string; 'cf-connecting-ip': string };
}

const randomIp = () => `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join('.')}`;

export async function createTestUser(role: UserRole = 'customer'): Promise<TestUser> {
  const id = newId();
  const email = `cart-${role}-${id}@test.example`;
  const db = createDb(env);
  await db.insert(users).values({ id, email, passwordHash: 'not-a-real-hash', role, isVerified: true });
  await db.insert(userProfiles).values({ userId: id, firstName: 'Cart', lastName: 'Tester' });
  const token = await signAccessToken(env, { userId: id, email, role, sessionVersion: 0 });
  return { id, email, role, token, auth: { authorization: `Bearer ${token}`, 'cf-connecting-ip': randomIp() } };
}

export async function createTestProduct(sellerId: string, options: { priceCents?: number; stock?: number; reserved?: number; status?: ProductStatus } = {}): Promise<number> {
  const [row] = await createDb(env)
    .insert(products)
    .values({
      sellerId,
      name: `Cart test product ${newId().slice(-12)}`,
      priceCents: options.priceCents ?? 1_000,
      stockQuantity: options.stock ?? 50,
      stockReserved: options.reserved ?? 0,
      status: options.status ?? 'ACTIVE',
    })
    .returning({ id: products.id });
  return row!.id;
}

export async function updateTestProduct(id: number, values: Partial<typeof products.$inferInsert>): Promise<void> {
  await createDb(env).update(products).set(values).where(eq(products.id, id));
}
