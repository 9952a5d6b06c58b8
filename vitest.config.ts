import { fileURLToPath } from 'node:url';

import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': fileURLToPath(new URL('./workers', import.meta.url)),
  '@do': fileURLToPath(new URL('./durable-objects', import.meta.url)),
  '@test': fileURLToPath(new URL('./test', import.meta.url)),
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
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['workers/**/*.test.ts', 'durable-objects/**/*.test.ts', 'test/integration/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        root: 'web',
        test: {
          name: 'web',
          environment: 'happy-dom',
          include: ['src/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
