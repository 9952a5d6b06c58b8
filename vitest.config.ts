import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { cloudflareTest } from '@cloudflare/vitest-plugin';
import type { Plugin } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

const alias = {
  '@': join(import.meta.dirname, 'workers'),
  '@do': join(import.meta.dirname, 'durable-objects'),
  '@test': join(import.meta.dirname, 'test'),
  '@contract': join(import.meta.dirname, 'contract'),
};

/**
 * Every package the Worker, its Durable Objects, the shared rules and the tests import (`hono`, `hono/cors`,
 * `drizzle-orm/pg-core`, …), found in the sources so a new import is never missed. The Workers projects have them
 * pre-bundled once per run (Vite's dependency optimizer) instead of fetching each of their hundreds of files into
 * the runtime one by one (docs/decisions/tests.md). All subpaths of a package
 * must be listed together, or one left out would load a second copy of the package's classes.
 */
function bareImports(dirs: string[]): string[] {
  const specifiers = new Set<string>();
  const pattern = /(?:from|import)\s*\(?\s*'([^'./][^']*)'/g;
  for (const dir of dirs) {
    for (const file of readdirSync(join(import.meta.dirname, dir), { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file)) continue;
      for (const [, specifier] of readFileSync(join(import.meta.dirname, dir, file), 'utf8').matchAll(pattern)) specifiers.add(specifier!);
    }
  }
  const packagePath = /^(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)*$/;
  const local = /^(@\/|@do\/|@test\/|@contract\/|vitest$)/;
  return [...specifiers].filter((specifier) => packagePath.test(specifier) && !local.test(specifier) && !specifier.endsWith('.json')).sort();
}
// test/e2e and test/scenarios run in Node (Playwright, scripts), not in the Workers runtime.
const WORKER_DEPS = bareImports(['workers', 'durable-objects', 'contract', 'test/support', 'test/integration', 'test/races', 'test/reliability', 'test/security']);

const PG_ONLY = ['test/races/**/*.test.ts', 'test/integration/saga*.test.ts', 'test/reliability/**/*.test.ts'];
/**
 * One of the three write-route fuzz files, in a project (runtime and database) of its own: `npm run test:vitest`
 * runs it in its second process, which otherwise finished 40–60 s before the `workers` one (docs/decisions/tests.md).
 */
const FUZZ_BESIDE = ['test/security/fuzz-write-routes-b.test.ts'];

/**
 * The Workers plugin resolves packages for workerd (`workerd`, `worker`, `browser` conditions, no `node`), and Vitest
 * imports the global setup with the same resolve options. The setup runs in Node (it starts the database and the
 * Neon proxy), so its environment gets Node's conditions back: `ws` would otherwise load its browser stub.
 */
const globalSetupInNode: Plugin = {
  name: 'edge-shop:global-setup-in-node',
  configEnvironment: {
    order: 'post',
    handler(name, config) {
      if (name !== '__vitest__') return;
      config.resolve = { ...config.resolve, conditions: ['node', 'import', 'module', 'default'], mainFields: ['module', 'main'] };
    },
  },
};

/**
 * Tests in the Workers runtime (Miniflare) against the database `test/global-setup.ts` starts for `name`.
 * `environment: 'production'` loads `[env.production]` of wrangler.toml instead — its vars and rate limits —
 * replacing only what cannot run offline: the database, signing key and Turnstile secret (secrets there), the e-mail transport
 * (tests read codes from the log transport), the embedder (Workers AI needs the cloud) and the payment provider
 * (the simulated one, allowed explicitly as on a staging deploy).
 */
function workersProject(
  name: string,
  include: string[],
  { exclude = [], environment }: { exclude?: string[]; environment?: 'production' } = {},
) {
  // Production's payment provider needs the network: these runs are a staging deploy of the simulated one.
  const offline: Record<string, string> =
    environment === 'production'
      ? {
          EMAIL_TRANSPORT: 'log',
          EMBEDDER: 'local',
          PAYMENT_GATEWAY_MODE: 'success',
          ALLOW_SIMULATED_PAYMENTS: 'true',
          SIMULATED_WEBHOOK_SECRET: 'whsec_staging_test',
          // A secret there; offline, siteverify is unreachable, so every join's bot check fails closed (403).
          TURNSTILE_SECRET: 'turnstile_staging_test',
        }
      : { APP_ENV: 'test' };
  return {
    resolve: { alias },
    plugins: [
      globalSetupInNode,
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: './wrangler.toml', environment },
        remoteBindings: false,
        miniflare: {
          bindings: {
            ...offline,
            LOG_LEVEL: 'warn',
            DATABASE_URL: inject('databaseUrl'),
            NEON_LOCAL_PROXY: inject('neonProxy'),
            JWT_PRIVATE_KEY: inject('jwtPrivateKey'),
          },
        },
      })),
    ],
    test: {
      name,
      include,
      exclude: [...configDefaults.exclude, ...exclude],
      globalSetup: ['test/global-setup.ts'],
      // All files of the project share one runtime (docs/decisions/tests.md): the runtime and the Worker's import
      // are paid once, not per file. Tests build what they need and reset what they change.
      isolate: false,
      deps: { optimizer: { ssr: { enabled: true, include: WORKER_DEPS } } },
      // Two shared cores run workerd, the database and the proxy: a loaded CI box is slow, not wrong.
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
}

/**
 * SPA test files that replace a module (`vi.mock`). The other SPA files share one environment and module graph
 * (`isolate: false`: no happy-dom and React start per file); a replaced module would stay replaced for the files after
 * it, or not be replaced at all when an earlier file had loaded the real one — so these keep a fresh one each.
 */
const WEB_TESTS = readdirSync(join(import.meta.dirname, 'web/src'), { recursive: true, encoding: 'utf8' }).filter((file) => /\.test\.tsx?$/.test(file));
const mocksModules = (file: string) => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(import.meta.dirname, 'web/src', file), 'utf8'));
const WEB_MOCKS = WEB_TESTS.filter(mocksModules).map((file) => `src/${file}`);
const WEB_SHARED = WEB_TESTS.filter((file) => !mocksModules(file)).map((file) => `src/${file}`);

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['scripts/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      // The saga, race and reliability files run once, on real PostgreSQL (below), not on PGlite as well.
      workersProject('workers', ['workers/**/*.test.ts', 'durable-objects/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts'], {
        exclude: [...PG_ONLY, ...FUZZ_BESIDE],
      }),
      workersProject('workers-fuzz', FUZZ_BESIDE),
      // The same runtime on a real PostgreSQL 15 + pgvector, for what PGlite's one-transaction-at-a-time
      // engine cannot show: races between SQL transactions, the saga and the reliability rows.
      workersProject('workers-pg', PG_ONLY),
      // The SPA's own Vite config carries its aliases, plugins and test environment.
      // (`extends` adds to its include and exclude lists, so each project excludes the other's files.)
      { extends: './web/vite.config.ts', root: 'web', test: { name: 'web', isolate: false, exclude: [...configDefaults.exclude, ...WEB_MOCKS] } },
      { extends: './web/vite.config.ts', root: 'web', test: { name: 'web-mocks', exclude: [...configDefaults.exclude, ...WEB_SHARED] } },
      // The security suite once more on the production settings (`npm run test:security:production`); not part
      // of `npm test`, which would run the fuzz twice.
      ...(process.env.SECURITY_SETTINGS === 'production' ? [workersProject('security-production', ['test/security/**/*.test.ts'], { environment: 'production' })] : []),
    ],
  },
});
