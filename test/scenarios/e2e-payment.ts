/**
 * `npm run e2e:payment` — port of the seed's script/e2e-payment.sh: the payment saga
 * end to end, 12 assertions.
 */
import { call, CUSTOMER, HCM_ADDRESS, type JsonResponse, login, poll, Tally } from './lib.ts';

const t = new Tally('e2e:payment');

const session = await login(CUSTOMER.email, CUSTOMER.password);
t.check('login as customer → 200', session.status === 200, session.status);

let productId: number | undefined;
for (let id = 1; id <= 10 && productId === undefined; id++) {
  const res = await call('GET', `/products/${id}`);
  if (res.status === 200 && res.body?.data?.name) productId = id;
}
t.check('found a product among ids 1–10', productId !== undefined);

let order: JsonResponse | undefined;
for (let id = productId ?? 1; id <= 10; id++) {
  order = await call('POST', '/orders', { token: session.token, body: { items: [{ productId: id, quantity: 1 }], shippingAddress: HCM_ADDRESS } });
  if (order.status === 201) break;
}
t.check('POST /orders (quantity 1) → 201', order?.status === 201, order?.body);
const orderId: string | undefined = order?.body?.data?.id;
t.check('new order is PENDING', order?.body?.data?.status === 'PENDING', order?.body?.data?.status);

let lastStatus = 0;
const payment = await poll(async () => {
  const res = await call('GET', `/payments/order/${orderId}`, { token: session.token });
  lastStatus = res.status;
  const status = res.body?.data?.status;
  return res.status === 200 && (status === 'COMPLETED' || status === 'FAILED') ? res.body.data : undefined;
}, 20_000);
t.check('GET /payments/order/{id} → 200', lastStatus === 200, lastStatus);
t.check('payment is COMPLETED or FAILED', payment?.status === 'COMPLETED' || payment?.status === 'FAILED', payment);

// The order consumer applies the payment's outcome just after the payment row changes (choreography is
// eventually consistent); the seed read the order once, so allow the few seconds one queue hop takes.
const expectedOrder = payment?.status === 'COMPLETED' ? 'CONFIRMED' : 'CANCELLED';
let detail = await call('GET', `/orders/${orderId}`, { token: session.token });
await poll(async () => {
  detail = await call('GET', `/orders/${orderId}`, { token: session.token });
  return detail.body?.data?.status === expectedOrder ? true : undefined;
}, 5_000, 250);
t.check(`GET /orders/${orderId} → 200`, detail.status === 200, detail.status);
const pair = `${payment?.status}/${detail.body?.data?.status}`;
t.check(`payment and order agree (${pair})`, pair === 'COMPLETED/CONFIRMED' || pair === 'FAILED/CANCELLED', pair);

const payments = await call('GET', '/payments?page=1&size=10', { token: session.token });
t.check('GET /payments?page=1&size=10 → 200', payments.status === 200, payments.status);
t.check('payment list is not empty', (payments.body?.data?.length ?? 0) > 0, payments.body);

const ready = await call('GET', '/health/ready');
t.check('GET /health/ready → 200', ready.status === 200, ready.body);
t.check('checks.postgres and checks.kafka are UP', ready.body?.checks?.postgres === 'UP' && ready.body?.checks?.kafka === 'UP', ready.body);

t.finish();
