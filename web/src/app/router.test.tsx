import { createMemoryRouter, matchRoutes } from 'react-router';
import { describe, expect, it } from 'vitest';

import { appRoutes, discoverRoutes } from '@/app/router';

describe('app routes', () => {
  it('starts without the console: /admin falls to the not-found splat until it is discovered', () => {
    expect(matchRoutes(appRoutes, '/admin')!.at(-1)!.route.path).toBe('*');
    expect(matchRoutes(appRoutes, '/orders')!.at(-1)!.route.path).toBe('orders');
  });

  it('discovers the console pages under /admin behind the admin guard on the first navigation there', async () => {
    const router = createMemoryRouter(appRoutes, { initialEntries: ['/login'], patchRoutesOnNavigation: discoverRoutes });
    for (const path of ['/admin', '/admin/orders', '/admin/orders/0193a8b0-0000-7000-8000-000000000001', '/admin/dead-letters', '/admin/users', '/admin/catalog', '/admin/audit-log']) {
      await router.navigate(path);
      const matches = router.state.matches;
      expect(matches.at(-1)!.route.path, path).not.toBe('*');
      expect(matches.at(-1)!.pathname.replace(/\/$/, ''), path).toBe(path);
      expect(matches.some((m) => m.route.path === 'admin'), path).toBe(true);
    }
    // The shopper's /orders is still the shopper's page, not the console's.
    await router.navigate('/orders');
    expect(router.state.matches.at(-1)!.route.path).toBe('orders');
    router.dispose();
  });
});
