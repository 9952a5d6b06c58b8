import { env } from 'cloudflare:test';

import { createTestApp } from '@/app';
import type { createRouter } from '@/platform/router';
import type { OrderConsumerDeps } from '@/orders/consumer';
import { fakeOrderDeps, FakeQueue, stageTo } from '@test/support/saga-fakes';
import { jsonHeaders, type TestUser } from '@test/support/shop-fixtures';

export type Envelope<T> = { success: boolean; data: T; meta?: { totalElements: number }; error?: { code: string; details?: Record<string, string> } };

type OrderDepsFactory = () => ReturnType<typeof fakeOrderDeps>['deps'];

/**
 * Order routers on fake stock and cart collaborators, called over HTTP as a test user, with `ORDER_EVENTS` recorded.
 * `D` is what `call` reads by default; `overrides` replace real collaborators (the tax calculator, say).
 */
export function ordersHttpHarness<D>(mount: (makeDeps: OrderDepsFactory) => ReturnType<typeof createRouter>, overrides: Partial<OrderConsumerDeps> = {}) {
  const fakes = fakeOrderDeps(overrides);
  const queue = new FakeQueue();
  const app = createTestApp(mount(() => fakes.deps));
  const testEnv = { ...env, ...stageTo('order-events', queue.asQueue()) };
  const call = async <T = D>(method: string, path: string, user: TestUser | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(
      path,
      { method, headers: user ? jsonHeaders(user, headers) : { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
      testEnv,
    );
    return { status: res.status, body: (await res.json()) as Envelope<T>, headers: res.headers };
  };
  return { ...fakes, queue, call };
}
