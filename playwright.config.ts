import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import { defineConfig, devices } from '@playwright/test';

// Its own ports and a throw-away data folder, so e2e never touches a developer's `npm start` or its database.
// Workers inherit the environment of the main process, so they all see the same folder.
const PORT = Number(process.env.E2E_PORT ?? 8851);
process.env.E2E_DATA_DIR ??= mkdtempSync(join(os.tmpdir(), 'edge-shop-e2e-'));

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A test that needs a retry to pass is a bug to find, not to hide.
  retries: 0,
  // Two shared cores: more workers only fight the app under test for CPU.
  workers: 2,
  reporter: process.env.CI ? 'github' : 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // No traces: 'retain-on-failure' records one for every test (screenshots and DOM snapshots of each step) and
    // keeps the failures', which cost a fifth of the run's CPU on two cores (docs/decisions/tests.md). A failure
    // still leaves its page snapshot and the server log; `npx playwright test --trace on` records them when needed.
    trace: 'off',
    // A shopper who asked for less motion: the SPA stops its skeleton shimmer and spinners (base.css), so a page that
    // waits renders no frames — on two shared cores the browser was the largest user of CPU (docs/decisions/tests.md).
    reducedMotion: 'reduce',
    // Debian's build of Chromium's headless shell, the browser Playwright itself runs headless tests in (it never
    // downloads one here). The full browser in headless mode also renders its own hidden window chrome and took
    // about 45 % longer on two cores; without the GPU (emulated in software here) the shell composites on the CPU
    // directly, which costs less (docs/decisions/tests.md).
    launchOptions: { executablePath: '/usr/bin/chromium-headless-shell', args: ['--disable-gpu'] },
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'] }, testIgnore: 'scenarios.spec.ts' },
    // The ported scripts of the original system (test/scenarios) use the seeded accounts: after the journeys, alone.
    { name: 'scenarios', testMatch: 'scenarios.spec.ts', dependencies: ['chromium'] },
  ],
  webServer: {
    command: 'npm start',
    url: `http://127.0.0.1:${PORT}/health/ready`,
    // A fresh data folder is created, migrated and seeded, and the SPA may need a build.
    timeout: 180_000,
    reuseExistingServer: false,
    // npm start stops wrangler and the database on SIGTERM; a hard kill would orphan them on the test ports.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    // The app's log is kept so a server that dies mid-run says why in the test output.
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      PG_PORT: String(PORT + 1),
      NEON_PROXY_PORT: String(PORT + 2),
      DATA_DIR: process.env.E2E_DATA_DIR,
    },
  },
});
