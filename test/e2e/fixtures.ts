import { randomUUID } from 'node:crypto';

import { type APIRequestContext, expect } from '@playwright/test';
import pg from 'pg';

/** The e2e shop's own database (playwright.config.ts serves it on E2E_PORT + 1). */
export const DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PORT ?? 8851) + 1}/postgres`;

export async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, verified customer with an empty cart: a journey that runs again after a failed attempt (or beside
 * another journey) never finds someone else's lines in its cart.
 */
export async function newVerifiedCustomer(request: APIRequestContext, prefix = 'e2e') {
  const user = { email: `${prefix}-${randomUUID()}@example.com`, password: 'Sturdy4Pass' };
  const registered = await request.post('/api/v1/auth/register', { data: { ...user, first_name: 'Role', last_name: 'Change' } });
  expect(registered.status()).toBe(201);
  // The verification e-mail only reaches the log here; the code's own flow is covered by the identity tests.
  await withDatabase((db) => db.query('update users set is_verified = true where lower(email) = $1', [user.email]));
  return user;
}
