import { newActor, send, type Actor, type Role } from '@test/security/support/harness';
import type { Operation } from '@test/security/support/openapi';

/** A valid address body (snake_case, SPEC §3.4). */
export const addressBody = (tag = 'Home') => ({ label: tag, address_line1: '1 Main St', city: 'Springfield', country: 'US', postal_code: '12345' });

/** Creates an address through the API and returns its id. */
export async function createAddress(actor: Actor, tag = 'Home'): Promise<string> {
  const res = await send('POST', '/api/v1/users/addresses', { token: actor.token, body: addressBody(tag) });
  if (res.status !== 201) throw new Error(`address create failed: ${res.status} ${res.text}`);
  return (res.json as { data: { id: string } }).data.id;
}

/** Creates an ACTIVE product of `seller` through the API (no category, 50 units) and returns its id. */
export async function createProduct(seller: Actor, name = 'Security test product'): Promise<string> {
  const res = await send('POST', '/api/v1/products', { token: seller.token, body: { name, description: 'Made by the security suite', price: 12.5, stockQuantity: 50 } });
  if (res.status !== 201) throw new Error(`product create failed: ${res.status} ${res.text}`);
  return String((res.json as { data: { id: string | number } }).data.id);
}

/** A product of the seed owned by seller …0003 (cart lines only: the cart never changes the product row). */
export const SEEDED_PRODUCT_ID = '5';

/**
 * Ids of real objects the acting user may touch, per path parameter, for the routes we know. Unknown
 * routes get none and are fuzzed with random and junk ids only (still: never a 5xx, always the envelope).
 * Nothing here points at a seeded row another test file reads and the fuzz could change.
 */
export async function validIdsFor(op: Operation, actor: Actor): Promise<Record<string, string[]>> {
  if (/^\/api\/v1\/users\/addresses\/\{id\}/.test(op.path)) return { id: [await createAddress(actor)] };
  if (/^\/api\/v1\/(admin\/)?users\/\{id\}/.test(op.path)) return { id: [(await newActor('customer', 'victim')).id] };
  if (/^\/api\/v1\/products\/\{id\}$/.test(op.path) && actor.role === 'seller') return { id: [await createProduct(actor)] };
  if (/^\/api\/v1\/cart\/items\/\{productId\}/.test(op.path)) {
    await send('POST', '/api/v1/cart/items', { token: actor.token, body: { product_id: Number(SEEDED_PRODUCT_ID), quantity: 1 } });
    return { productId: [SEEDED_PRODUCT_ID] };
  }
  return {};
}

const ROLES: Role[] = ['customer', 'seller', 'admin'];

/**
 * The first role that gets past the route's role gate: a request with an empty body answered anything but
 * 403 `FORBIDDEN` (the role refusal of `requireAuth`). Public routes take a customer.
 */
export async function suitableActor(op: Operation, path: string): Promise<Actor> {
  if (!op.secured) return newActor('customer', 'fuzz-customer');
  for (const role of ROLES) {
    const prober = await newActor(role, `probe-${role}`);
    const probe = await send(op.method, path, { token: prober.token, body: {} });
    const code = (probe.json as { error?: { code?: string } } | undefined)?.error?.code;
    // A fresh user of that role does the fuzzing: the probe may have changed the prober (logout).
    if (!(probe.status === 403 && code === 'FORBIDDEN')) return newActor(role, `fuzz-${role}`);
  }
  return newActor('admin', 'fuzz-admin');
}
