import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import type { CheckoutResponse } from '@/orders/checkout-schema';
import { createCheckoutsRouter } from '@/orders/checkout-routes';
import { dbDepsFromEnv } from '@/composition';
import { createOrdersRouter } from '@/orders/routes';
import { createDb } from '@/platform/db';
import { createRouter } from '@/platform/router';
import { createPromotionsRouter } from '@/promotions/routes';
import type { PromotionResponse } from '@/promotions/schema';
import { promotionRedemptions, promotions } from '@/promotions/tables';
import { expectInvariants } from '@test/support/invariants';
import { ordersHttpHarness } from '@test/support/orders-http';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';

const ADDRESS = { street: '1 Nguyen Hue', city: 'Ho Chi Minh City', state: 'HCM', country: 'Vietnam', zipCode: '700000' };
const CONCURRENT = 200;
const LIMIT = 50;

let buyers: TestUser[];
let admin: TestUser;
let seller: TestUser;
let product: { id: number; priceCents: number };

beforeAll(async () => {
  [admin, seller, ...buyers] = await Promise.all([createTestUser('admin'), createTestUser('seller'), ...Array.from({ length: 4 }, () => createTestUser('customer'))]);
  product = await createTestProduct(seller.id, { priceCents: 2000, stock: 1000 });
});

const setup = () => ordersHttpHarness<CheckoutResponse>((makeDeps) => createRouter().route('/', createCheckoutsRouter(makeDeps)).route('/', createOrdersRouter(makeDeps)).route('/', createPromotionsRouter(dbDepsFromEnv)));

/**
 * The usage limit under concurrency (docs/decisions/promotions.md): the checkout takes a use with a conditional
 * UPDATE inside its transaction, so on real PostgreSQL the 200 transactions queue on the promotion's row lock and
 * exactly 50 see `used_count < usage_limit`. The other 150 answer 409 PROMO_CODE_EXHAUSTED with nothing reserved
 * left over and no order written; a cancelled order gives its use back.
 */
describe('race: 200 concurrent checkouts with a code limited to 50 uses', () => {
  it('exactly 50 get the discount, 150 get 409, and a cancellation gives one use back', { timeout: 180_000 }, async () => {
    const t = setup();
    const created = await t.call<PromotionResponse>('POST', '/api/v1/admin/promotions', admin, { name: 'Fifty', code: `RACE${crypto.randomUUID().slice(0, 8)}`, type: 'fixed', value: 5, usageLimit: LIMIT });
    expect(created.status).toBe(201);
    const promo = created.body.data;
    const body = { items: [{ productId: product.id, quantity: 1 }], shippingAddress: ADDRESS, promoCode: promo.code };
    const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => t.call('POST', '/api/v1/checkouts', buyers[i % buyers.length]!, body)));

    const placed = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(placed).toHaveLength(LIMIT);
    expect(refused.map((r) => [r.status, r.body.error?.code])).toEqual(Array.from({ length: CONCURRENT - LIMIT }, () => [409, 'PROMO_CODE_EXHAUSTED']));
    for (const r of placed) expect(r.body.data.totals).toMatchObject({ subtotal: 20, discount: 5 });
    // Every refused checkout released what it held: only the placed ones still hold stock.
    expect(t.stock.reserved.size).toBe(LIMIT);
    const [row] = await createDb(env).select().from(promotions).where(eq(promotions.id, promo.id));
    expect(row!.usedCount).toBe(LIMIT);
    expect(await createDb(env).select().from(promotionRedemptions).where(eq(promotionRedemptions.promotionId, promo.id))).toHaveLength(LIMIT);

    // A cancelled order gives its use back: one more checkout gets it, the next does not.
    const first = placed[0]!.body.data;
    expect((await t.call('PUT', `/api/v1/orders/${first.orders[0]!.id}/cancel`, { ...buyers.find((b) => b.id === first.userId)! }, {})).status).toBe(200);
    const usage = await t.call<PromotionResponse>('GET', `/api/v1/admin/promotions/${promo.id}`, admin);
    expect(usage.body.data).toMatchObject({ usedCount: LIMIT - 1, discountGiven: 5 * (LIMIT - 1) });
    expect((await t.call('POST', '/api/v1/checkouts', buyers[0]!, body)).status).toBe(201);
    const last = await t.call('POST', '/api/v1/checkouts', buyers[1]!, body);
    expect([last.status, last.body.error?.code]).toEqual([409, 'PROMO_CODE_EXHAUSTED']);

    await expectInvariants(product.id);
  });
});
