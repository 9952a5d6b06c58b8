import { join } from 'node:path';

import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': join(import.meta.dirname, 'workers'),
  '@do': join(import.meta.dirname, 'durable-objects'),
  '@test': join(import.meta.dirname, 'test'),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['scripts/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            remoteBindings: false,
            miniflare: {
              bindings: {
                APP_ENV: 'test',
                LOG_LEVEL: 'warn',
                DATABASE_URL: inject('databaseUrl'),
                NEON_LOCAL_PROXY: inject('neonProxy'),
                JWT_PRIVATE_KEY: inject('jwtPrivateKey'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['workers/**/*.test.ts', 'durable-objects/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/security/**/*.test.ts', 'test/races/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          // Two shared cores run workerd, the database and the proxy: a loaded CI box is slow, not wrong.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The SPA's own Vite config carries its aliases, plugins and test environment.
      'web/vite.config.ts',
    ],
  },
});
