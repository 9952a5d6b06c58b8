import { beforeAll, describe, expect, it } from 'vitest';

import { addressBody, createAddress, createCheckout, createSavedCard, createOrder, createOrderNotification, createProduct, createReturn, paymentOf, SEEDED_PRODUCT_ID } from '@test/security/support/fixtures';
import { newActor, send, type Actor, type Answer } from '@test/security/support/harness';
import { loadOperations, opName } from '@test/security/support/openapi';

/** Who tries: the owner's peers. `customer2` is a second customer; `seller2` a seller who does not own the object. */
type Who = 'customer' | 'customer2' | 'seller' | 'seller2' | 'admin';

interface Attempt {
  method: string;
  /** Path with the object's id filled in. */
  path: string;
  body?: unknown;
}

/**
 * One row of the matrix: an object owned by `owner`, the routes that act on it, who must be refused, and how
 * to read the object back (as the owner) to prove nothing changed.
 */
interface ObjectRoute {
  name: string;
  /** OpenAPI paths this row covers (for the coverage check below). */
  covers: string[];
  owner: Who;
  outsiders: Who[];
  create(owner: Actor, everyone: Record<Who, Actor>): Promise<string>;
  attempts(id: string): Attempt[];
  snapshot(owner: Actor, id: string): Promise<unknown>;
  /** Statuses an outsider may get; default 403 or 404. */
  refused?: number[];
  /** Who may make the first attempt (the positive control that proves the route is reachable); default the owner; null: no control. */
  allowed?: Who | null;
}

const OBJECT_ROUTES: ObjectRoute[] = [
  {
    name: 'address',
    covers: ['/api/v1/users/addresses/{id}', '/api/v1/users/addresses/{id}/default'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'admin'],
    create: async (owner) => {
      await createAddress(owner, 'First');
      return createAddress(owner, 'Second');
    },
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/users/addresses/${id}`, body: addressBody('Hijacked') },
      { method: 'PUT', path: `/api/v1/users/addresses/${id}/default` },
      { method: 'DELETE', path: `/api/v1/users/addresses/${id}` },
    ],
    snapshot: async (owner) => (await send('GET', '/api/v1/users/profile', { token: owner.token })).json,
  },
  {
    name: 'user record and role (admin only)',
    covers: ['/api/v1/users/{id}', '/api/v1/admin/users/{id}/role', '/api/v1/admin/users/{id}/unlock', '/api/v1/admin/users/{id}/resend-verification'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'seller2'],
    create: async (owner) => owner.id,
    attempts: (id) => [
      { method: 'GET', path: `/api/v1/users/${id}` },
      { method: 'PUT', path: `/api/v1/admin/users/${id}/role`, body: { role: 'admin' } },
      { method: 'POST', path: `/api/v1/admin/users/${id}/unlock` },
      { method: 'POST', path: `/api/v1/admin/users/${id}/resend-verification` },
    ],
    snapshot: async (owner) => (await send('GET', '/api/v1/users/profile', { token: owner.token })).json,
    allowed: 'admin',
  },
  {
    name: 'cart line (per-user cart: others act on their own cart only)',
    covers: ['/api/v1/cart/items/{productId}'],
    owner: 'customer',
    outsiders: ['customer2', 'seller2'],
    create: async (owner) => {
      const res = await send('POST', '/api/v1/cart/items', { token: owner.token, body: { product_id: Number(SEEDED_PRODUCT_ID), quantity: 2 } });
      if (res.status !== 201) throw new Error(`cart add failed: ${res.status} ${res.text}`);
      return SEEDED_PRODUCT_ID;
    },
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/cart/items/${id}`, body: { quantity: 7 } },
      { method: 'DELETE', path: `/api/v1/cart/items/${id}` },
      { method: 'DELETE', path: '/api/v1/cart' },
    ],
    // The outsider's own cart answers (404 for a line they do not have, 204 for deletes): never the owner's.
    refused: [204, 404],
    snapshot: async (owner) => {
      const cart = (await send('GET', '/api/v1/cart', { token: owner.token })).json as { data: { items: { product_id: unknown; quantity: number }[] } };
      return cart.data.items.map((item) => [item.product_id, item.quantity]);
    },
  },
  {
    name: 'product (owner seller or admin)',
    covers: ['/api/v1/products/{id}'],
    owner: 'seller',
    outsiders: ['customer', 'customer2', 'seller2'],
    create: (owner) => createProduct(owner),
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/products/${id}`, body: { price: 0.01, stockDelta: 1000, status: 'ACTIVE' } },
      { method: 'PUT', path: `/api/v1/products/${id}`, body: { name: 'Hijacked' } },
      { method: 'DELETE', path: `/api/v1/products/${id}` },
    ],
    snapshot: async (owner, id) => {
      const product = (await send('GET', `/api/v1/products/${id}`, { token: owner.token })).json as { data: Record<string, unknown> };
      const { name, price, status, stockQuantity, version } = product.data;
      return { name, price, status, stockQuantity, version };
    },
  },
  {
    name: 'product launch (owner seller or admin)',
    covers: ['/api/v1/products/{id}/launch'],
    owner: 'seller',
    outsiders: ['customer', 'customer2', 'seller2'],
    create: (owner) => createProduct(owner),
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/products/${id}/launch`, body: { startsAt: '2030-01-01T00:00:00Z', admitPerSecond: 1000 } },
      { method: 'DELETE', path: `/api/v1/products/${id}/launch` },
    ],
    snapshot: async (_owner, id) => (await send('GET', `/api/v1/products/${id}/launch`)).json,
  },
  {
    name: 'order (buyer or admin; the seller side only for the order’s seller)',
    covers: ['/api/v1/orders/{id}', '/api/v1/orders/{id}/history', '/api/v1/orders/{id}/cancel', '/api/v1/orders/{id}/deliver', '/api/v1/orders/{id}/ship', '/api/v1/orders/seller/{id}', '/api/v1/orders/{id}/returns'],
    owner: 'customer',
    outsiders: ['customer2', 'seller2'],
    create: (owner, everyone) => createOrder(owner, everyone.seller),
    attempts: (id) => [
      { method: 'GET', path: `/api/v1/orders/${id}` },
      { method: 'GET', path: `/api/v1/orders/${id}/history` },
      { method: 'PUT', path: `/api/v1/orders/${id}/cancel`, body: { reason: 'not mine' } },
      { method: 'PUT', path: `/api/v1/orders/${id}/deliver` },
      { method: 'PUT', path: `/api/v1/orders/${id}/ship` },
      { method: 'GET', path: `/api/v1/orders/seller/${id}` },
      { method: 'GET', path: `/api/v1/orders/${id}/returns` },
      { method: 'POST', path: `/api/v1/orders/${id}/returns`, body: returnBody() },
    ],
    snapshot: orderSnapshot,
  },
  {
    name: 'order: its seller may not cancel or mark it delivered for the buyer',
    covers: [],
    owner: 'customer',
    outsiders: ['seller'],
    create: (owner, everyone) => createOrder(owner, everyone.seller),
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/orders/${id}/cancel`, body: { reason: 'seller cancels' } },
      { method: 'PUT', path: `/api/v1/orders/${id}/deliver` },
      { method: 'POST', path: `/api/v1/orders/${id}/returns`, body: returnBody() },
    ],
    snapshot: orderSnapshot,
  },
  {
    name: 'order: the buyer may not ship it or open the seller view',
    covers: [],
    owner: 'customer',
    outsiders: ['customer'],
    allowed: null,
    create: (owner, everyone) => createOrder(owner, everyone.seller),
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/orders/${id}/ship` },
      { method: 'GET', path: `/api/v1/orders/seller/${id}` },
    ],
    snapshot: orderSnapshot,
  },
  {
    name: 'return (its buyer, its seller or an admin)',
    covers: ['/api/v1/returns/{id}', '/api/v1/returns/{id}/approve', '/api/v1/returns/{id}/reject', '/api/v1/returns/{id}/sent', '/api/v1/returns/{id}/received'],
    owner: 'customer',
    outsiders: ['customer2', 'seller2'],
    create: (owner, everyone) => createReturn(owner, everyone.seller),
    attempts: (id) => [
      { method: 'GET', path: `/api/v1/returns/${id}` },
      { method: 'POST', path: `/api/v1/returns/${id}/approve`, body: {} },
      { method: 'POST', path: `/api/v1/returns/${id}/reject`, body: { note: 'not mine' } },
      { method: 'POST', path: `/api/v1/returns/${id}/sent` },
      { method: 'POST', path: `/api/v1/returns/${id}/received`, body: { restock: true } },
    ],
    snapshot: returnSnapshot,
  },
  {
    name: 'return: its buyer may not approve, reject or receive it',
    covers: [],
    owner: 'customer',
    outsiders: ['customer'],
    allowed: null,
    create: (owner, everyone) => createReturn(owner, everyone.seller),
    attempts: (id) => [
      { method: 'POST', path: `/api/v1/returns/${id}/approve`, body: {} },
      { method: 'POST', path: `/api/v1/returns/${id}/reject`, body: {} },
      { method: 'POST', path: `/api/v1/returns/${id}/received`, body: {} },
    ],
    snapshot: returnSnapshot,
  },
  {
    name: 'return: its seller may not mark it sent for the buyer',
    covers: [],
    owner: 'customer',
    outsiders: ['seller'],
    allowed: null,
    create: (owner, everyone) => createReturn(owner, everyone.seller),
    attempts: (id) => [{ method: 'POST', path: `/api/v1/returns/${id}/sent` }],
    snapshot: returnSnapshot,
  },
  {
    name: 'checkout (buyer or admin)',
    covers: ['/api/v1/checkouts/{id}'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'seller2'],
    create: (owner, everyone) => createCheckout(owner, everyone.seller),
    attempts: (id) => [{ method: 'GET', path: `/api/v1/checkouts/${id}` }],
    // Not the status: the saga pays it in the background while the test runs; the outsiders' attempts are reads.
    snapshot: async (owner, id) => {
      const checkout = (await send('GET', `/api/v1/checkouts/${id}`, { token: owner.token })).json as { data: { id: string; userId: string; totals: unknown; orders: { id: string }[] } };
      return { id: checkout.data.id, userId: checkout.data.userId, totals: checkout.data.totals, orders: checkout.data.orders.map((o) => o.id) };
    },
  },
  {
    name: 'shipping option (its seller only)',
    covers: ['/api/v1/sellers/me/shipping-options/{id}'],
    owner: 'seller',
    outsiders: ['seller2', 'customer', 'admin'],
    create: async (owner) => {
      const res = await send('POST', '/api/v1/sellers/me/shipping-options', { token: owner.token, body: { name: 'Matrix courier', price: 3.5, minDays: 1, maxDays: 3 } });
      if (res.status !== 201) throw new Error(`shipping option create failed: ${res.status} ${res.text}`);
      return (res.json as { data: { id: string } }).data.id;
    },
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/sellers/me/shipping-options/${id}`, body: { price: 0 } },
      { method: 'DELETE', path: `/api/v1/sellers/me/shipping-options/${id}` },
    ],
    snapshot: async (owner) => (await send('GET', '/api/v1/sellers/me/shipping-options', { token: owner.token })).json,
  },
  {
    name: 'payment (owner or admin)',
    covers: ['/api/v1/payments/{id}', '/api/v1/payments/order/{orderId}'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'seller2'],
    create: async (owner, everyone) => {
      const orderId = await createOrder(owner, everyone.seller);
      return `${await paymentOf(owner, orderId)} ${orderId}`;
    },
    attempts: (ids) => {
      const [paymentId, orderId] = ids.split(' ');
      return [
        { method: 'GET', path: `/api/v1/payments/${paymentId}` },
        { method: 'GET', path: `/api/v1/payments/order/${orderId}` },
      ];
    },
    // Not the status: the saga moves PENDING → COMPLETED in the background while the test runs; the outsiders' attempts are reads.
    snapshot: async (owner, ids) => {
      const payment = (await send('GET', `/api/v1/payments/${ids.split(' ')[0]}`, { token: owner.token })).json as { data: { id: string; orderId: string; userId: string; amount: number } };
      return { id: payment.data.id, orderId: payment.data.orderId, userId: payment.data.userId, amount: payment.data.amount };
    },
  },
  {
    name: 'saved card (its buyer only)',
    covers: ['/api/v1/payments/methods/{id}', '/api/v1/payments/methods/{id}/default'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'admin'],
    create: async (owner) => createSavedCard(owner),
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/payments/methods/${id}/default` },
      { method: 'DELETE', path: `/api/v1/payments/methods/${id}` },
    ],
    snapshot: async (owner) => (await send('GET', '/api/v1/payments/methods', { token: owner.token })).json,
  },
  {
    name: 'notification (recipient only)',
    covers: ['/api/v1/orders/notifications/{id}/read'],
    owner: 'customer',
    outsiders: ['customer2', 'seller', 'admin'],
    create: async (owner, everyone) => createOrderNotification(owner, await createOrder(owner, everyone.seller)),
    attempts: (id) => [{ method: 'PUT', path: `/api/v1/orders/notifications/${id}/read` }],
    snapshot: async (owner, id) => {
      const list = (await send('GET', '/api/v1/orders/notifications', { token: owner.token })).json as { data: { items: { id: string; isRead: boolean }[] } };
      return list.data.items.find((item) => item.id === id);
    },
  },
  {
    name: 'operator console order detail (admin only, even for the buyer)',
    covers: ['/api/v1/admin/orders/{id}'],
    owner: 'customer',
    outsiders: ['customer', 'customer2', 'seller'],
    create: async (owner, everyone) => createOrder(owner, everyone.seller),
    attempts: (id) => [{ method: 'GET', path: `/api/v1/admin/orders/${id}` }],
    refused: [403],
    snapshot: async () => null,
    allowed: 'admin',
  },
  {
    name: 'category management (admin only)',
    covers: ['/api/v1/admin/categories/{id}'],
    owner: 'admin',
    outsiders: ['customer', 'seller'],
    allowed: null,
    create: async () => '1',
    attempts: (id) => [
      { method: 'PUT', path: `/api/v1/admin/categories/${id}`, body: { name: 'Hijacked' } },
      { method: 'DELETE', path: `/api/v1/admin/categories/${id}` },
    ],
    refused: [403],
    snapshot: async (owner) => (await send('GET', '/api/v1/categories', { token: owner.token })).json,
  },
  {
    name: 'stock ledger (admin only, even for the product’s seller)',
    covers: ['/api/v1/admin/stock/{productId}/ledger'],
    owner: 'admin',
    outsiders: ['customer', 'seller'],
    allowed: null,
    create: async () => '1',
    attempts: (id) => [{ method: 'GET', path: `/api/v1/admin/stock/${id}/ledger` }],
    refused: [403],
    snapshot: async () => null,
  },
  {
    name: 'seller promotion (its seller only)',
    covers: ['/api/v1/sellers/me/promotions/{id}'],
    owner: 'seller',
    outsiders: ['seller2', 'customer', 'admin'],
    create: async (owner) => {
      const res = await send('POST', '/api/v1/sellers/me/promotions', { token: owner.token, body: { name: 'Matrix sale', type: 'percentage', value: 5, active: false } });
      if (res.status !== 201) throw new Error(`promotion create failed: ${res.status} ${res.text}`);
      return (res.json as { data: { id: string } }).data.id;
    },
    attempts: (id) => [
      { method: 'GET', path: `/api/v1/sellers/me/promotions/${id}` },
      { method: 'PATCH', path: `/api/v1/sellers/me/promotions/${id}`, body: { name: 'Hijacked' } },
      { method: 'DELETE', path: `/api/v1/sellers/me/promotions/${id}` },
    ],
    snapshot: async (owner, id) => (await send('GET', `/api/v1/sellers/me/promotions/${id}`, { token: owner.token })).json,
  },
  {
    name: 'platform promotion and tax rate (admin only)',
    covers: ['/api/v1/admin/promotions/{id}', '/api/v1/admin/tax-rates/{id}'],
    owner: 'admin',
    outsiders: ['customer', 'seller'],
    create: async (owner) => {
      const promo = await send('POST', '/api/v1/admin/promotions', { token: owner.token, body: { name: 'Matrix platform sale', type: 'fixed', value: 1, active: false } });
      const rate = await send('POST', '/api/v1/admin/tax-rates', { token: owner.token, body: { country: 'KI', region: `matrix-${crypto.randomUUID().slice(0, 8)}`, rate: 1, name: 'Matrix' } });
      if (promo.status !== 201 || rate.status !== 201) throw new Error(`admin promotion/tax rate create failed: ${promo.status} ${rate.status}`);
      return `${(promo.json as { data: { id: string } }).data.id} ${(rate.json as { data: { id: string } }).data.id}`;
    },
    attempts: (ids) => {
      const [promotionId, rateId] = ids.split(' ');
      return [
        { method: 'GET', path: `/api/v1/admin/promotions/${promotionId}` },
        { method: 'PATCH', path: `/api/v1/admin/promotions/${promotionId}`, body: { active: true } },
        { method: 'DELETE', path: `/api/v1/admin/promotions/${promotionId}` },
        { method: 'PATCH', path: `/api/v1/admin/tax-rates/${rateId}`, body: { rate: 99 } },
        { method: 'DELETE', path: `/api/v1/admin/tax-rates/${rateId}` },
      ];
    },
    refused: [403],
    snapshot: async (owner, ids) => ({
      promotion: (await send('GET', `/api/v1/admin/promotions/${ids.split(' ')[0]}`, { token: owner.token })).json,
      rates: (await send('GET', '/api/v1/admin/tax-rates', { token: owner.token })).json,
    }),
  },
  {
    name: 'dead-letter replay (admin only)',
    covers: ['/api/v1/admin/dead-letters/{id}/replay'],
    owner: 'admin',
    outsiders: ['customer', 'seller'],
    allowed: null,
    create: async () => crypto.randomUUID(),
    attempts: (id) => [{ method: 'POST', path: `/api/v1/admin/dead-letters/${id}/replay` }],
    refused: [403],
    snapshot: async () => null,
  },
];

const returnBody = () => ({ lines: [{ orderItemId: crypto.randomUUID(), quantity: 1 }], reason: 'not mine' });

/** What an outsider could change about a return: its status and history. */
async function returnSnapshot(owner: Actor, id: string) {
  const found = (await send('GET', `/api/v1/returns/${id}`, { token: owner.token })).json as { data: { status: string; sellerNote: string | null; history: unknown[] } };
  return { status: found.data.status, sellerNote: found.data.sellerNote, history: found.data.history.length };
}

/**
 * What an outsider could change about an order. The saga moves PENDING → CONFIRMED (or CANCELLED on a failed
 * payment) and adds history rows in the background, so those are not compared; a cancel, ship or deliver by an
 * outsider would show as CANCELLED/SHIPPED/DELIVERED or a history row changed by the outsider.
 */
async function orderSnapshot(owner: Actor, id: string) {
  const order = (await send('GET', `/api/v1/orders/${id}`, { token: owner.token })).json as { data: { status: string; shippingAddress: unknown; items: unknown[] } };
  const history = (await send('GET', `/api/v1/orders/${id}/history`, { token: owner.token })).json as { data: { changedBy: string | null }[] };
  const outsiders = Object.values(actors).filter((a) => a.id !== owner.id).map((a) => a.id);
  return {
    shipped: ['SHIPPED', 'DELIVERED'].includes(order.data.status),
    items: order.data.items,
    shippingAddress: order.data.shippingAddress,
    changedByOthers: history.data.filter((h) => h.changedBy && outsiders.includes(h.changedBy)).length,
  };
}

/**
 * Secured routes with a path id that are not owned objects: the caller reads public data or acts on an
 * object that is checked elsewhere (reviews need a delivered order: see docs/SECURITY.md).
 */
const NOT_OWNED: Record<string, string> = {
  'POST /api/v1/products/{productId}/reviews': 'creates the caller’s own review; the purchase check is the catalog’s reviews.test.ts',
  'PUT /api/v1/products/{productId}/reviews/{reviewId}': 'author-only; covered by the catalog’s reviews.test.ts (needs a delivered order to create one)',
  'GET /api/v1/products/{productId}/reviews/by-order-item/{orderItemId}': 'answers only the caller’s own review (or null)',
  'POST /api/v1/products/{id}/waiting-room/ticket': 'joins the line as the caller (one place per account); nobody else’s place is named',
  'GET /api/v1/products/{id}/waiting-room/ticket': 'answers only the caller’s own place in the line',
};

const actors = {} as Record<Who, Actor>;

beforeAll(async () => {
  const roles: [Who, 'customer' | 'seller' | 'admin'][] = [
    ['customer', 'customer'],
    ['customer2', 'customer'],
    ['seller', 'seller'],
    ['seller2', 'seller'],
    ['admin', 'admin'],
  ];
  for (const [who, role] of roles) actors[who] = await newActor(role, `matrix-${who}`);
});

function refusal(answer: Answer, allowed: number[]): string | undefined {
  if (!allowed.includes(answer.status)) return `status ${answer.status}: ${answer.text.slice(0, 160)}`;
  return undefined;
}

describe('authorization matrix: another user’s object is refused and left unchanged', () => {
  for (const row of OBJECT_ROUTES) {
    for (const outsider of row.outsiders) {
      it(`${row.name}: ${outsider} cannot act on ${row.owner}’s object`, async () => {
        const owner = actors[row.owner];
        const id = await row.create(owner, actors);
        const before = await row.snapshot(owner, id);
        const problems: string[] = [];
        for (const attempt of row.attempts(id)) {
          const answer = await send(attempt.method, attempt.path, { token: actors[outsider].token, body: attempt.body });
          const problem = refusal(answer, row.refused ?? [403, 404]);
          if (problem) problems.push(`${attempt.method} ${attempt.path}: ${problem}`);
          if (answer.status >= 400) expect((answer.json as { success: boolean }).success).toBe(false);
        }
        expect(problems).toEqual([]);
        expect(await row.snapshot(owner, id)).toEqual(before);
      });
    }
  }

  for (const row of OBJECT_ROUTES.filter((r) => r.allowed !== null)) {
    const allowed = row.allowed ?? row.owner;
    it(`${row.name}: the first attempt succeeds for ${allowed} (control)`, async () => {
      const id = await row.create(actors[row.owner], actors);
      const [first] = row.attempts(id);
      const answer = await send(first!.method, first!.path, { token: actors[allowed].token, body: first!.body });
      expect(answer.status, answer.text).toBeLessThan(300);
    });
  }

  it('ignores X-User-Id / X-Seller-Id: an outsider naming the owner in headers is still refused', async () => {
    const owner = actors.customer;
    const id = await createAddress(owner, 'Spoofed');
    const before = await send('GET', '/api/v1/users/profile', { token: owner.token });
    const spoof = { 'x-user-id': owner.id, 'x-seller-id': owner.id };
    const answer = await send('DELETE', `/api/v1/users/addresses/${id}`, { token: actors.customer2.token, headers: spoof });
    expect([403, 404]).toContain(answer.status);
    expect((await send('GET', '/api/v1/users/profile', { token: owner.token })).json).toEqual(before.json);
    const profile = await send('GET', '/api/v1/users/profile', { token: actors.customer2.token, headers: spoof });
    expect((profile.json as { data: { id: string } }).data.id).toBe(actors.customer2.id);
  });

  it('covers every secured route with a path id in the OpenAPI document (extend the table when routes merge)', async () => {
    const covered = new Set(OBJECT_ROUTES.flatMap((row) => row.covers));
    const uncovered = (await loadOperations())
      .filter((op) => op.secured && op.pathParams.length > 0)
      .filter((op) => !covered.has(op.path) && !(opName(op) in NOT_OWNED))
      .map(opName);
    expect(uncovered).toEqual([]);
  });
});
