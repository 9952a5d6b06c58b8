/**
 * `npm run e2e:api` — port of the seed's script/e2e-test.sh: browse → cart → order,
 * 14 assertions. Differences from the seed: order calls carry the bearer token (X-User-Id is ignored).
 */
import { call, CUSTOMER, HCM_ADDRESS, login, Tally } from './lib.ts';

const t = new Tally('e2e:api');

const session = await login(CUSTOMER.email, CUSTOMER.password);
t.check('login as customer → 200', session.status === 200 && session.token !== '', session.status);

const products = await call('GET', '/products');
t.check('GET /products → 200', products.status === 200, products.status);
const productId: number | undefined = products.body?.data?.[0]?.id;

const before = await call('GET', `/inventory/${productId}`);
const initial: number = before.body?.data?.availableStock ?? 0;
t.check(`GET /inventory/${productId} → 200 with availableStock ≥ 2`, before.status === 200 && initial >= 2, before.body);

const add = await call('POST', '/cart/items', { token: session.token, body: { product_id: productId, quantity: 2 } });
t.check('POST /cart/items (quantity 2) → 201', add.status === 201, add.body);

const cart = await call('GET', '/cart', { token: session.token });
t.check('GET /cart → 200', cart.status === 200, cart.status);
t.check(`cart has items (total ${cart.body?.data?.total})`, (cart.body?.data?.items?.length ?? 0) > 0, cart.body);

const order = await call('POST', '/orders', {
  token: session.token,
  headers: { 'x-user-id': session.userId },
  body: { cartId: crypto.randomUUID(), items: [{ productId, quantity: 2 }], shippingAddress: HCM_ADDRESS },
});
t.check('POST /orders → 201', order.status === 201, order.body);
const orderId: string | undefined = order.body?.data?.id;
t.check('new order is PENDING', order.body?.data?.status === 'PENDING', order.body?.data?.status);

const after = await call('GET', `/inventory/${productId}`);
t.check(`GET /inventory/${productId} → 200`, after.status === 200, after.status);
t.check(`availableStock ≤ ${initial} − 2`, (after.body?.data?.availableStock ?? Infinity) <= initial - 2, after.body?.data);

const detail = await call('GET', `/orders/${orderId}`, { token: session.token });
t.check(`GET /orders/${orderId} → 200`, detail.status === 200, detail.status);
t.check('order has at least one item', (detail.body?.data?.items?.length ?? 0) >= 1, detail.body?.data);

const list = await call('GET', '/orders', { token: session.token });
t.check('GET /orders → 200', list.status === 200, list.status);
t.check('order list is not empty', (list.body?.data?.length ?? 0) >= 1, list.body);

t.finish();
