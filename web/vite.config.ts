/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
// The Worker (`wrangler dev`) owns these paths in dev and production; the SPA only ever calls them same-origin.
const workerOrigin = 'http://127.0.0.1:8787';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  resolve: {
    // `@contract`: the input rules the Worker's request schemas are built from (plain zod), shared with the forms.
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)), '@contract': fileURLToPath(new URL('../contract', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: workerOrigin, changeOrigin: false },
      '/health': { target: workerOrigin, changeOrigin: false },
      '/.well-known': { target: workerOrigin, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: workerOrigin, changeOrigin: false },
      '/health': { target: workerOrigin, changeOrigin: false },
      '/.well-known': { target: workerOrigin, changeOrigin: false },
    },
  },
  // Mirrors the `web` project in the root vitest.config.ts so `vitest --config web/vite.config.ts` runs the same suite.
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/testing/setup.ts'],
    testTimeout: 20_000,
  },
});
