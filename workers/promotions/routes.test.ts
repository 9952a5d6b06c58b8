import { env } from 'cloudflare:test';
import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { adminAuditLog } from '@/platform/tables';
import { categories, products } from '@/catalog/tables';
import type { CheckoutPreviewResponse, CheckoutResponse } from '@/orders/checkout-schema';
import { createCheckoutsRouter } from '@/orders/checkout-routes';
import { dbDepsFromEnv } from '@/composition';
import { createOrdersRouter } from '@/orders/routes';
import { checkouts, orderItems, orders } from '@/orders/tables';
import { createDb } from '@/platform/db';
import { createRouter } from '@/platform/router';
import type { PromotionResponse } from '@/promotions/schema';
import { createPromotionsRouter } from '@/promotions/routes';
import { promotions } from '@/promotions/tables';
import { TableTaxCalculator } from '@/tax/calculator';
import { createTaxRouter } from '@/tax/routes';
import type { TaxRateResponse } from '@/tax/service';
import { checkInvariantsHere, expectInvariants } from '@test/support/invariants';
import { ordersHttpHarness } from '@test/support/orders-http';
import { createTestProduct, createTestUser, type TestUser } from '@test/support/shop-fixtures';

/**
 * Promotions and tax through HTTP (docs/decisions/promotions.md). Every test file shares one database, so the
 * country is this file's own and automatic promotions are scoped to this file's products.
 */
// A real country no other test file taxes, and one without postal-code rules (the ZIP below is free text there).
const COUNTRY = 'AW';
// Untaxed: no test file adds a rate for Nauru.
const UNTAXED = 'NR';
const ADDRESS = { street: '1 Main St', city: 'Capital', state: 'North', country: COUNTRY, zipCode: '10000' };

const setup = (overrides: Parameters<typeof ordersHttpHarness>[1] = {}) =>
  ordersHttpHarness<CheckoutResponse>(
    (makeDeps) => createRouter().route('/', createCheckoutsRouter(makeDeps)).route('/', createOrdersRouter(makeDeps)).route('/', createPromotionsRouter(dbDepsFromEnv)).route('/', createTaxRouter(dbDepsFromEnv)),
    overrides,
  );

let buyer: TestUser;
let buyer2: TestUser;
let admin: TestUser;
let sellerA: TestUser;
let sellerB: TestUser;
let a1: { id: number; priceCents: number };
let a2: { id: number; priceCents: number };
let b1: { id: number; priceCents: number };
let categoryId: number;
const db = () => createDb(env);
const code = (prefix: string) => `${prefix}${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`.toUpperCase();

beforeAll(async () => {
  [buyer, buyer2, admin, sellerA, sellerB] = await Promise.all([createTestUser('customer'), createTestUser('customer'), createTestUser('admin'), createTestUser('seller'), createTestUser('seller')]);
  [a1, a2, b1] = await Promise.all([createTestProduct(sellerA.id, { priceCents: 2000 }), createTestProduct(sellerA.id, { priceCents: 500 }), createTestProduct(sellerB.id, { priceCents: 1000 })]);
  const [category] = await db().insert(categories).values({ name: 'Promo books', slug: `promo-books-${crypto.randomUUID().slice(0, 8)}` }).returning();
  categoryId = category!.id;
  await db().update(products).set({ categoryId }).where(eq(products.id, a2.id));
  // 10 % on goods in the region, 5 % in the rest of the country, books 0 %, shipping 20 %.
  const t = setup();
  for (const rate of [
    { country: COUNTRY, rate: 5, name: 'Country VAT' },
    { country: COUNTRY, region: 'north', rate: 10, name: 'North VAT' },
    { country: COUNTRY, categoryId, rate: 0, name: 'Books' },
    { country: COUNTRY, appliesTo: 'shipping', rate: 20, name: 'Shipping VAT' },
  ]) {
    expect((await t.call('POST', '/api/v1/admin/tax-rates', admin, rate)).status).toBe(201);
  }
});

const checkoutBody = (items: { productId: number; quantity: number }[], extra: Record<string, unknown> = {}) => ({ items, shippingAddress: ADDRESS, ...extra });

async function createPromotion(user: TestUser, body: Record<string, unknown>, base = user.role === 'admin' ? '/api/v1/admin/promotions' : '/api/v1/sellers/me/promotions') {
  const res = await setup().call<PromotionResponse>('POST', base, user, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

describe('tax rates (admin)', () => {
  it.each([
    ['a negative rate', { country: COUNTRY, region: 'x', rate: -1, name: 'n' }, 'rate'],
    ['a rate over 100 %', { country: COUNTRY, region: 'x', rate: 100.5, name: 'n' }, 'rate'],
    ['a shipping rate with a category', { country: COUNTRY, region: 'x', appliesTo: 'shipping', categoryId: 1, rate: 1, name: 'n' }, 'categoryId'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const res = await setup().call('POST', '/api/v1/admin/tax-rates', admin, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { [field]: expect.any(String) } });
  });

  it('refuses a duplicate (409), an unknown category (404), and anyone but an admin (403)', async () => {
    const t = setup();
    expect((await t.call('POST', '/api/v1/admin/tax-rates', admin, { country: COUNTRY.toLowerCase(), rate: 7, name: 'again' })).body.error?.code).toBe('TAX_RATE_EXISTS');
    expect((await t.call('POST', '/api/v1/admin/tax-rates', admin, { country: COUNTRY, categoryId: 987_654_321, rate: 7, name: 'x' })).status).toBe(404);
    expect((await t.call('POST', '/api/v1/admin/tax-rates', sellerA, { country: COUNTRY, region: 'y', rate: 7, name: 'x' })).status).toBe(403);
    const list = await t.call<TaxRateResponse[]>('GET', '/api/v1/admin/tax-rates', admin);
    expect(list.body.data.filter((r) => r.country === COUNTRY).map((r) => r.rate).sort((a, b) => a - b)).toEqual([0, 5, 10, 20]);
  });
});

describe('promotions CRUD', () => {
  it.each([
    ['a percentage over 100', { type: 'percentage', value: 101 }, 'value'],
    ['a zero percentage', { type: 'percentage', value: 0 }, 'value'],
    ['a negative amount', { type: 'fixed', value: -5 }, 'value'],
    ['a negative minimum', { type: 'fixed', value: 5, minSubtotal: -1 }, 'minSubtotal'],
    ['an end before the start', { type: 'fixed', value: 5, startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }, 'endsAt'],
    ['a category scope without a category', { type: 'fixed', value: 5, scope: 'category' }, 'categoryId'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const res = await setup().call('POST', '/api/v1/admin/promotions', admin, { name: 'bad', code: code('BAD'), ...body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { [field]: expect.any(String) } });
  });

  it("lets a seller promote only its own products, lists only its own, and refuses a taken code (409)", async () => {
    const t = setup();
    const foreign = await t.call('POST', '/api/v1/sellers/me/promotions', sellerA, { name: 'x', code: code('F'), type: 'fixed', value: 1, scope: 'products', productIds: [a1.id, b1.id] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toMatchObject({ code: 'NOT_YOUR_PRODUCTS', details: { [`productIds.${b1.id}`]: expect.any(String) } });
    const own = await createPromotion(sellerA, { name: 'A 10 %', code: code('A'), type: 'percentage', value: 10 });
    expect(own).toMatchObject({ fundedBy: 'seller', sellerId: sellerA.id, scope: 'order', value: 10, usedCount: 0, active: true });
    // An admin's change is in the audit log, a seller's is not.
    const platform = await createPromotion(admin, { name: 'Audited', code: code('AUD'), type: 'fixed', value: 1, active: false });
    const audited = await db().select().from(adminAuditLog).where(inArray(adminAuditLog.targetId, [platform.id, own.id]));
    expect(audited.map((r) => [r.action, r.targetId, r.actorId])).toEqual([['promotion.created', platform.id, admin.id]]);
    const taken = await t.call('POST', '/api/v1/admin/promotions', admin, { name: 'dup', code: own.code!.toLowerCase(), type: 'fixed', value: 1 });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('PROMO_CODE_TAKEN');
    const listB = await t.call<PromotionResponse[]>('GET', '/api/v1/sellers/me/promotions', sellerB);
    expect(listB.body.data.some((p) => p.id === own.id)).toBe(false);
    expect((await t.call('PATCH', `/api/v1/sellers/me/promotions/${own.id}`, sellerB, { active: false })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/admin/promotions', buyer)).status).toBe(403);
    const paused = await t.call<PromotionResponse>('PATCH', `/api/v1/sellers/me/promotions/${own.id}`, sellerA, { active: false });
    expect(paused.body.data.active).toBe(false);
  });
});

describe('POST /api/v1/checkouts/preview and the checkout', () => {
  it('applies a code: discount per line, tax per line on the discounted price and on shipping, nothing reserved', async () => {
    const promo = await createPromotion(admin, { name: '10 % off', code: code('TEN'), type: 'percentage', value: 10 });
    const t = setup();
    const res = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, checkoutBody([{ productId: a1.id, quantity: 1 }, { productId: a2.id, quantity: 2 }], { promoCode: promo.code!.toLowerCase() }));
    expect(res.status).toBe(200);
    // Lines 20.00 and 2 × 5.00: −2.00 and −1.00; taxed 10 % (region) on 18.00 → 1.80 and 0 % (books) on 9.00.
    // Shipping: platform default 4.99 (under 50.00), taxed 20 % → 1.00 (0.998 rounded).
    expect(res.body.data.totals).toEqual({ subtotal: 30, shipping: 4.99, discount: 3, tax: 2.8, taxIncluded: false, total: 34.79, currency: 'USD' });
    expect(res.body.data.promoCode).toEqual({ code: promo.code, applied: true, discount: 3, refusal: null });
    expect(res.body.data.orders[0]!.items.map((i) => [i.productId, i.discount, i.tax])).toEqual([[a1.id, 2, 1.8], [a2.id, 1, 0]].sort((x, y) => x[0]! - y[0]!));
    expect(res.body.data.orders[0]!.shipping).toMatchObject({ price: 4.99, discount: 0, tax: 1 });
    expect(t.stock.calls).toEqual([]);
    const [row] = await db().select().from(promotions).where(eq(promotions.id, promo.id));
    expect(row!.usedCount).toBe(0);

    // The checkout charges exactly what the preview said, stores it per line and per order, and takes one use.
    const placed = await t.call('POST', '/api/v1/checkouts', buyer, checkoutBody([{ productId: a1.id, quantity: 1 }, { productId: a2.id, quantity: 2 }], { promoCode: promo.code, expectedTotal: 34.79 }));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const checkout = placed.body.data;
    expect(checkout.totals).toEqual(res.body.data.totals);
    expect(checkout.orders[0]).toMatchObject({ promoCode: promo.code, shippingDiscount: 0, shippingTax: 1, totals: { discount: 3, tax: 2.8, total: 34.79 } });
    expect(checkout.orders[0]!.items.every((i) => i.promotionId === promo.id)).toBe(true);
    const [used] = await db().select().from(promotions).where(eq(promotions.id, promo.id));
    expect(used!.usedCount).toBe(1);
    const [stored] = await db().select().from(checkouts).where(eq(checkouts.id, checkout.id));
    expect(stored).toMatchObject({ discountCents: 300, taxCents: 280, totalCents: 3479, promoCode: promo.code });
    // Changing the rate later never changes a placed order.
    const rates = await t.call<TaxRateResponse[]>('GET', '/api/v1/admin/tax-rates', admin);
    const north = rates.body.data.find((r) => r.country === COUNTRY && r.region === 'north')!;
    expect((await t.call('PATCH', `/api/v1/admin/tax-rates/${north.id}`, admin, { rate: 12 })).status).toBe(200);
    const again = await t.call<{ totals: { tax: number } }>('GET', `/api/v1/orders/${checkout.orders[0]!.id}`, buyer);
    expect(again.body.data.totals.tax).toBe(2.8);
    await t.call('PATCH', `/api/v1/admin/tax-rates/${north.id}`, admin, { rate: 10 });

    // Cancelling the only order gives the use back.
    expect((await t.call('PUT', `/api/v1/orders/${checkout.orders[0]!.id}/cancel`, buyer, {})).status).toBe(200);
    const [back] = await db().select().from(promotions).where(eq(promotions.id, promo.id));
    expect(back!.usedCount).toBe(0);
  });

  it('with tax-inclusive prices (PRICES_INCLUDE_TAX), reports the tax inside the prices and charges the prices', async () => {
    const t = setup({ tax: new TableTaxCalculator(db(), true) });
    const body = checkoutBody([{ productId: a1.id, quantity: 1 }, { productId: a2.id, quantity: 2 }]);
    const preview = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, body);
    // 20.00 at 10 % contains 1.82; the books (0 %) nothing; shipping 4.99 at 20 % contains 0.83. Nothing is added.
    expect(preview.body.data.totals).toEqual({ subtotal: 30, shipping: 4.99, discount: 0, tax: 2.65, taxIncluded: true, total: 34.99, currency: 'USD' });
    expect(preview.body.data.orders[0]!.items.map((i) => [i.productId, i.tax])).toEqual([[a1.id, 1.82], [a2.id, 0]].sort((x, y) => x[0]! - y[0]!));

    const placed = await t.call('POST', '/api/v1/checkouts', buyer, { ...body, expectedTotal: 34.99 });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.data.totals).toEqual(preview.body.data.totals);
    const orderId = placed.body.data.orders[0]!.id;
    const [stored] = await db().select().from(orders).where(eq(orders.id, orderId));
    expect(stored).toMatchObject({ subtotalCents: 3000, shippingCents: 499, taxCents: 265, shippingTaxCents: 83, taxIncluded: true, totalCents: 3499 });
    // The commission is taken on the prices without their tax.
    const exclusive = await setup().call('POST', '/api/v1/checkouts', buyer, { ...body, expectedTotal: 37.99 });
    expect(exclusive.status, JSON.stringify(exclusive.body)).toBe(201);
    const [plain] = await db().select().from(orders).where(eq(orders.id, exclusive.body.data.orders[0]!.id));
    expect(plain).toMatchObject({ taxIncluded: false, taxCents: 300, totalCents: 3799 });
    expect(stored!.commissionCents).toBeLessThan(plain!.commissionCents);
    // A placed order keeps its own arithmetic, whatever the setting is now.
    const read = await setup().call<{ totals: unknown }>('GET', `/api/v1/orders/${orderId}`, buyer);
    expect(read.body.data.totals).toMatchObject({ tax: 2.65, taxIncluded: true, total: 34.99 });
    for (const id of [orderId, exclusive.body.data.orders[0]!.id]) expect((await t.call('PUT', `/api/v1/orders/${id}/cancel`, buyer, {})).status).toBe(200);
    await expectInvariants(a1.id, a2.id);
  });

  it('previews without an address (no tax yet) and previews a single-seller order (no shipping line)', async () => {
    const promo = await createPromotion(admin, { name: '10 % again', code: code('TENB'), type: 'percentage', value: 10 });
    const t = setup();
    const noAddress = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, { items: [{ productId: b1.id, quantity: 1 }], promoCode: promo.code });
    expect(noAddress.body.data.totals).toEqual({ subtotal: 10, shipping: 4.99, discount: 1, tax: 0, taxIncluded: false, total: 13.99, currency: 'USD' });
    const order = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/orders/preview', buyer, { items: [{ productId: b1.id, quantity: 2 }], shippingAddress: ADDRESS, promoCode: promo.code });
    expect(order.status).toBe(200);
    // 20.00 − 2.00, + 10 % of 18.00.
    expect(order.body.data.totals).toEqual({ subtotal: 20, shipping: 0, discount: 2, tax: 1.8, taxIncluded: false, total: 19.8, currency: 'USD' });
    const refused = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/orders/preview', buyer, { items: [{ productId: b1.id, quantity: 1 }], promoCode: 'NO-SUCH-CODE' });
    expect(refused.body.data.promoCode).toMatchObject({ applied: false, refusal: { code: 'PROMO_CODE_UNKNOWN' } });
    expect(t.stock.calls).toEqual([]);
  });

  it('keeps old clients working: no code and no rate for the country → the totals they always had', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, { items: [{ productId: b1.id, quantity: 1 }], shippingAddress: { ...ADDRESS, country: UNTAXED }, expectedTotal: 14.99 });
    expect(res.status).toBe(201);
    expect(res.body.data.totals).toEqual({ subtotal: 10, shipping: 4.99, discount: 0, tax: 0, taxIncluded: false, total: 14.99, currency: 'USD' });
  });

  it('answers 409 PRICE_CHANGED naming discount and tax when expectedTotal left out the tax', async () => {
    const t = setup();
    const res = await t.call('POST', '/api/v1/checkouts', buyer, checkoutBody([{ productId: b1.id, quantity: 1 }], { expectedTotal: 14.99 }));
    expect(res.status).toBe(409);
    // 10.00 + 10 % (1.00) + shipping 4.99 + 20 % (1.00).
    expect(res.body.error).toMatchObject({ code: 'PRICE_CHANGED', details: { total: '16.99', tax: '2.00', discount: '0.00' } });
    expect(t.stock.calls).toEqual([]);
  });

  describe('refused codes: the preview says why, the checkout answers the error and reserves nothing', () => {
    const cases: [string, () => Promise<string>, string, number, () => { productId: number; quantity: number }[]][] = [
      ['unknown', async () => code('NOPE'), 'PROMO_CODE_UNKNOWN', 422, () => [{ productId: a1.id, quantity: 1 }]],
      ['expired', async () => (await createPromotion(admin, { name: 'old', code: code('OLD'), type: 'fixed', value: 1, startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-02-01T00:00:00Z' })).code!, 'PROMO_CODE_EXPIRED', 422, () => [{ productId: a1.id, quantity: 1 }]],
      ['not started', async () => (await createPromotion(admin, { name: 'later', code: code('LATER'), type: 'fixed', value: 1, startsAt: '2099-01-01T00:00:00Z' })).code!, 'PROMO_CODE_NOT_STARTED', 422, () => [{ productId: a1.id, quantity: 1 }]],
      ['paused', async () => (await createPromotion(admin, { name: 'paused', code: code('PAUSE'), type: 'fixed', value: 1, active: false })).code!, 'PROMO_CODE_INACTIVE', 422, () => [{ productId: a1.id, quantity: 1 }]],
      ["a seller's code on another seller's products", async () => (await createPromotion(sellerB, { name: 'B only', code: code('BONLY'), type: 'percentage', value: 50 })).code!, 'PROMO_CODE_NOT_APPLICABLE', 422, () => [{ productId: a1.id, quantity: 1 }]],
      ['a minimum not met', async () => (await createPromotion(admin, { name: 'min', code: code('MIN'), type: 'fixed', value: 5, minSubtotal: 100 })).code!, 'PROMO_CODE_MIN_SUBTOTAL', 422, () => [{ productId: a1.id, quantity: 1 }]],
      [
        'exhausted',
        async () => {
          const p = await createPromotion(admin, { name: 'one', code: code('ONE'), type: 'fixed', value: 1, usageLimit: 1 });
          await db().update(promotions).set({ usedCount: 1 }).where(eq(promotions.id, p.id));
          return p.code!;
        },
        'PROMO_CODE_EXHAUSTED',
        409,
        () => [{ productId: a1.id, quantity: 1 }],
      ],
    ];
    it.each(cases)('%s', async (_name, makeCode, errorCode, status, items) => {
      const promoCode = await makeCode();
      const t = setup();
      const preview = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, checkoutBody(items(), { promoCode }));
      expect(preview.status).toBe(200);
      expect(preview.body.data.promoCode).toMatchObject({ applied: false, discount: 0, refusal: { code: errorCode, message: expect.any(String) } });
      expect(preview.body.data.totals.discount).toBe(0);
      const res = await t.call('POST', '/api/v1/checkouts', buyer, checkoutBody(items(), { promoCode }));
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code: errorCode, details: { promoCode: expect.stringContaining(promoCode.toUpperCase()) } });
      expect(t.stock.calls).toEqual([]);
    });
  });

  it('enforces the per-customer limit, and another customer may still use the code', async () => {
    const promo = await createPromotion(admin, { name: 'once each', code: code('ONCE'), type: 'fixed', value: 2, perCustomerLimit: 1 });
    const t = setup();
    expect((await t.call('POST', '/api/v1/checkouts', buyer2, checkoutBody([{ productId: b1.id, quantity: 1 }], { promoCode: promo.code }))).status).toBe(201);
    const second = await t.call('POST', '/api/v1/checkouts', buyer2, checkoutBody([{ productId: b1.id, quantity: 1 }], { promoCode: promo.code }));
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('PROMO_CODE_CUSTOMER_LIMIT');
    expect((await t.call('POST', '/api/v1/checkouts', buyer, checkoutBody([{ productId: b1.id, quantity: 1 }], { promoCode: promo.code }))).status).toBe(201);
  });

  it('stacks one code with the automatic promotions: the best discount per line wins, never the sum', async () => {
    // Automatic 50 % on a2 only (seller-funded), code 5.00 off the whole order (platform-funded).
    const auto = await createPromotion(sellerA, { name: 'Half off a2', type: 'percentage', value: 50, scope: 'products', productIds: [a2.id] });
    const fiveOff = await createPromotion(admin, { name: '5 off', code: code('FIVE'), type: 'fixed', value: 5 });
    const t = setup();
    const res = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, checkoutBody([{ productId: a1.id, quantity: 1 }, { productId: a2.id, quantity: 1 }], { promoCode: fiveOff.code }));
    // 5.00 split 20:5 → a1 4.00, a2 1.00; a2's automatic 2.50 beats 1.00.
    const items = Object.fromEntries(res.body.data.orders[0]!.items.map((i) => [i.productId, [i.discount, i.promotionId]]));
    expect(items).toEqual({ [a1.id]: [4, fiveOff.id], [a2.id]: [2.5, auto.id] });
    expect(res.body.data.totals.discount).toBe(6.5);
    expect(res.body.data.promotions.map((p) => [p.id, p.discount]).sort()).toEqual([[auto.id, 2.5], [fiveOff.id, 4]].sort());
    // Placed: the platform's 4.00 comes off the commission, the seller's 2.50 off the seller's sales.
    const placed = await t.call('POST', '/api/v1/checkouts', buyer, checkoutBody([{ productId: a1.id, quantity: 1 }, { productId: a2.id, quantity: 1 }], { promoCode: fiveOff.code }));
    expect(placed.status).toBe(201);
    const [order] = await db().select().from(orders).where(eq(orders.id, placed.body.data.orders[0]!.id));
    // Commission 10 % of what the seller sold at (20.00 + 2.50) = 2.25, less the platform's 4.00 → −1.75.
    expect(order).toMatchObject({ discountCents: 650, commissionCents: 225 - 400 });
    // The seller nets what it sold at less its commission, as if the platform's 4.00 had not been given.
    const seller = order!.totalCents - order!.commissionCents;
    expect(seller).toBe(2000 + 500 - 250 - 225 + order!.shippingCents + order!.taxCents);
    await db().update(promotions).set({ active: false }).where(inArray(promotions.id, [auto.id]));
  });

  it('free shipping takes the shipping line (and its tax) off, and a single-seller order takes a code too', async () => {
    const free = await createPromotion(admin, { name: 'Free ship', code: code('SHIP'), type: 'free_shipping' });
    const t = setup();
    const res = await t.call<CheckoutPreviewResponse>('POST', '/api/v1/checkouts/preview', buyer, checkoutBody([{ productId: b1.id, quantity: 1 }], { promoCode: free.code }));
    expect(res.body.data.totals).toEqual({ subtotal: 10, shipping: 4.99, discount: 4.99, tax: 1, taxIncluded: false, total: 11, currency: 'USD' });
    expect(res.body.data.orders[0]!.shipping).toMatchObject({ discount: 4.99, tax: 0 });

    const pct = await createPromotion(sellerB, { name: 'B 20 %', code: code('B20'), type: 'percentage', value: 20 });
    const single = await t.call<{ totals: Record<string, number>; items: { discount: number; tax: number }[]; promoCode: string }>('POST', '/api/v1/orders', buyer, { items: [{ productId: b1.id, quantity: 3 }], shippingAddress: ADDRESS, promoCode: pct.code });
    expect(single.status).toBe(201);
    // 30.00 − 6.00 = 24.00, + 10 % = 2.40.
    expect(single.body.data.totals).toMatchObject({ subtotal: 30, shipping: 0, discount: 6, tax: 2.4, total: 26.4 });
    expect(single.body.data.items[0]).toMatchObject({ discount: 6, tax: 2.4 });
    expect(single.body.data.promoCode).toBe(pct.code);
    const lines = await db().select().from(orderItems).where(eq(orderItems.orderId, (single.body.data as unknown as { id: string }).id));
    expect(lines[0]).toMatchObject({ discountCents: 600, taxCents: 240 });
  });

  it('refuses a code that would make a seller order cost 0 (422), never a negative total', async () => {
    const all = await createPromotion(sellerB, { name: 'All free', code: code('ALL'), type: 'fixed', value: 1000 });
    const t = setup();
    const res = await t.call('POST', '/api/v1/orders', buyer, { items: [{ productId: b1.id, quantity: 1 }], shippingAddress: { ...ADDRESS, country: UNTAXED }, promoCode: all.code });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('ORDER_NOT_PAYABLE');
    expect(t.stock.calls).toEqual([]);
  });

  it('leaves the money invariants holding over every order of this file (total = subtotal − discount + shipping + tax, lines add up, uses match)', async () => {
    await expectInvariants(a1.id, a2.id, b1.id);
    // And it does see a line whose discount no longer adds up to its order's.
    const [line] = await db().select().from(orderItems).where(eq(orderItems.productId, b1.id)).limit(1);
    await db().update(orderItems).set({ discountCents: line!.discountCents + 1 }).where(eq(orderItems.id, line!.id));
    try {
      const report = await checkInvariantsHere([b1.id]);
      expect(report.violations).toContainEqual({ kind: 'money', message: expect.stringContaining(`order ${line!.orderId}: discount`) });
    } finally {
      await db().update(orderItems).set({ discountCents: line!.discountCents }).where(eq(orderItems.id, line!.id));
    }
  });
});
