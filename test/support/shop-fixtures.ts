import { env } from 'cloudflare:test';

import { products } from '@/catalog/tables';
import { users, type UserRole } from '@/identity/tables';
import { signAccessToken } from '@/identity/tokens';
import { createDb } from '@/platform/db';

const randomIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 256)).join('.')}`;

/** A user of this test only (the database is shared by every test file of a run). */
export interface TestUser {
  id: string;
  email: string;
  role: UserRole;
  token: string;
  /** Bearer token plus an address of its own, so the shared per-IP API limiter never throttles other tests. */
  auth: { authorization: string; 'cf-connecting-ip': string };
}

export async function createTestUser(role: UserRole = 'customer'): Promise<TestUser> {
  const email = `${role}-${crypto.randomUUID()}@orders.test`;
  const [row] = await createDb(env).insert(users).values({ email, passwordHash: 'x', role, isVerified: true }).returning({ id: users.id });
  const id = row!.id;
  const token = await signAccessToken(env, { userId: id, email, role, sessionVersion: 0 });
  return { id, email, role, token, auth: { authorization: `Bearer ${token}`, 'cf-connecting-ip': randomIp() } };
}

export async function createTestProduct(sellerId: string, options: { priceCents?: number; stock?: number; status?: 'ACTIVE' | 'INACTIVE' | 'DELETED'; name?: string } = {}) {
  const [row] = await createDb(env)
    .insert(products)
    .values({
      sellerId,
      name: options.name ?? `Test product ${crypto.randomUUID().slice(0, 8)}`,
      priceCents: options.priceCents ?? 1999,
      status: options.status ?? 'ACTIVE',
      stockQuantity: options.stock ?? 10,
    })
    .returning({ id: products.id, priceCents: products.priceCents });
  return row!;
}

export const jsonHeaders = (user: TestUser, extra: Record<string, string> = {}) => ({ ...user.auth, 'content-type': 'application/json', ...extra });
