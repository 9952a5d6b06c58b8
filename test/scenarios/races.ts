/**
 * `npm run e2e:races` — the seed's race scenarios: ten buyers order the last unit of a
 * product at once (exactly one 201, nine 409, stock ends at 0), and ship racing cancel on a
 * CONFIRMED order (exactly one wins, the other gets 409).
 */
import { call, CUSTOMER, HCM_ADDRESS, login, poll, SELLER, Tally } from './lib.ts';

const t = new Tally('e2e:races');
const seller = await login(SELLER.email, SELLER.password);
const customer = await login(CUSTOMER.email, CUSTOMER.password);
t.check('login as seller and customer → 200', seller.status === 200 && customer.status === 200);

const created = await call('POST', '/products', {
  token: seller.token,
  body: { name: `Race lamp ${Date.now()}`, description: 'The last one in stock', price: 10, stockQuantity: 1, categoryId: 3 },
});
t.check('seller creates a product with stock 1 → 201', created.status === 201, created.body);
const productId: number = created.body?.data?.id;

const attempts = await Promise.all(
  Array.from({ length: 10 }, () => call('POST', '/orders', { token: customer.token, body: { items: [{ productId, quantity: 1 }], shippingAddress: HCM_ADDRESS } })),
);
const statuses = attempts.map((res) => res.status);
const wins = statuses.filter((s) => s === 201).length;
const conflicts = statuses.filter((s) => s === 409).length;
t.check(`10 concurrent orders on stock 1 → 1×201, 9×409 (got ${wins}/${conflicts}/${10 - wins - conflicts})`, wins === 1 && conflicts === 9, statuses);
const stock = await call('GET', `/inventory/${productId}`);
t.check('available stock is 0, never negative', stock.body?.data?.availableStock === 0, stock.body?.data);

const order = await call('POST', '/orders', { token: customer.token, body: { items: [{ productId: 1, quantity: 1 }], shippingAddress: HCM_ADDRESS } });
const orderId: string = order.body?.data?.id;
const confirmed = await poll(async () => {
  const res = await call('GET', `/orders/${orderId}`, { token: customer.token });
  return res.body?.data?.status === 'CONFIRMED' ? true : undefined;
}, 20_000, 500);
t.check('an order on product 1 reaches CONFIRMED', confirmed === true);

const [ship, cancel] = await Promise.all([
  call('PUT', `/orders/${orderId}/ship`, { token: seller.token }),
  call('PUT', `/orders/${orderId}/cancel`, { token: customer.token }),
]);
const outcome = [ship.status, cancel.status].sort().join('/');
t.check(`ship racing cancel → exactly one 200 and one 409 (ship ${ship.status}, cancel ${cancel.status})`, outcome === '200/409', { ship: ship.body, cancel: cancel.body });
const final = await call('GET', `/orders/${orderId}`, { token: customer.token });
const expected = ship.status === 200 ? 'SHIPPED' : 'CANCELLED';
t.check(`final status is the winner's (${expected})`, final.body?.data?.status === expected, final.body?.data?.status);

t.finish();
