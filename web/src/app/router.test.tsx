import { createMemoryRouter, matchRoutes } from 'react-router';
import { describe, expect, it } from 'vitest';

import { appRoutes } from '@/app/router';

describe('app routes', () => {
  it('builds, and resolves the console pages under /admin behind the admin guard', () => {
    expect(() => createMemoryRouter(appRoutes, { initialEntries: ['/login'] })).not.toThrow();
    for (const path of ['/admin', '/admin/orders', '/admin/orders/0193a8b0-0000-7000-8000-000000000001', '/admin/dead-letters', '/admin/users', '/admin/catalog', '/admin/audit-log']) {
      const matches = matchRoutes(appRoutes, path) ?? [];
      expect(matches.length, path).toBeGreaterThan(2);
      expect(matches.at(-1)!.pathname.replace(/\/$/, ''), path).toBe(path);
    }
    // The shopper's /orders is still the shopper's page, not the console's.
    expect(matchRoutes(appRoutes, '/orders')!.at(-1)!.route.path).toBe('orders');
  });
});
