import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { expect } from '@playwright/test';

import { test } from './fixtures.ts';

import { DATABASE_URL } from './fixtures';

/**
 * The original system's end-to-end scripts, ported in test/scenarios (`npm run e2e:api`, …), run against this suite's
 * shop as old clients would: each script is its own process and exits non-zero on any failed check. They use the
 * seeded accounts, so this project runs after the browser journeys (playwright.config.ts), never beside them.
 */
const run = promisify(execFile);
const SCENARIOS: [script: string, env?: Record<string, string>][] = [
  ['e2e-api.ts'],
  ['e2e-payment.ts'],
  ['races.ts'],
  // A short load: the invariant check at its end is the point here, `npm run loadtest:orders` is the full one.
  ['loadtest-orders.ts', { ORDER_COUNT: '20', CONCURRENCY: '5' }],
];

// One after another: they share the seeded customer's cart and orders.
test.describe.configure({ mode: 'default', timeout: 120_000 });

for (const [script, env] of SCENARIOS) {
  test(`test/scenarios/${script} passes against the running shop`, async ({ baseURL }) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `test/scenarios/${script}`], {
      env: { ...process.env, ...env, BASE_URL: baseURL!, DATABASE_URL },
      timeout: 110_000,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${script} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`);
    });
    expect(stdout).toMatch(/: \d+ passed, 0 failed/);
  });
}
