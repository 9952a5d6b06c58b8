import { readdirSync, readFileSync } from 'node:fs';

import drizzle from 'eslint-plugin-drizzle';
import tseslint from 'typescript-eslint';

// Import direction: shared code → features → app. A feature never imports another feature (pages compose them), and the
// shared layers import no feature at all; the layout chrome (components/layouts) is the one composition point
// outside app/.
const features = readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const featureBoundaries = features.map((feature) => ({
  files: [`web/src/features/${feature}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['@/features/*', `!@/features/${feature}`, '@/app/*'],
            message: 'A feature must not import another feature or the app layer; compose them in a page (web/src/app/routes).',
          },
        ],
      },
    ],
  },
}));

// Backend domains (workers/<domain>/, and the Durable Object files each owns) reach another domain only through its
// front door, `@/<domain>` (workers/<domain>/index.ts). platform is the shared kernel: any file may import it, it
// imports no domain. Allowed exceptions: a tables.ts may import another domain's tables.ts (foreign keys), a domain
// listed in scripts/domain-boundaries.json `tableReads` may still read those owners' tables (debt), tests reach into
// internals, and the composition layer (workers/app.ts, workers/index.ts, workers/composition.ts) wires routers and
// consumers from their own files. `npm run lint` also runs scripts/check-domain-graph.ts (the same rule, plus no cycles between domains).
const boundaries = JSON.parse(readFileSync(new URL('./scripts/domain-boundaries.json', import.meta.url), 'utf8'));
const domains = readdirSync(new URL('./workers', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const domainObjects = (domain) => Object.keys(boundaries.durableObjects).filter((file) => boundaries.durableObjects[file] === domain);
const frontDoorOnly = (allowed, { durableObjects = [], tables = [] } = {}) => [
  'error',
  {
    patterns: [
      {
        group: ['@/*/**', ...allowed.map((domain) => `!@/${domain}/**`), ...tables.map((owner) => `!@/${owner}/tables`)],
        message: 'Import another domain only through its front door, @/<domain> (workers/<domain>/index.ts); see docs/architecture.md, Boundaries.',
      },
      { group: ['@do/*', ...durableObjects.map((file) => `!@do/${file.replace(/\.ts$/, '')}`)], message: 'A Durable Object class belongs to its domain: use that domain\'s front door.' },
      { group: ['@/app', '@/index', '@/composition'], message: 'Domains do not import the composition layer; it imports them.' },
      { group: ['../*'], message: 'Use the @/ alias: a relative path out of the folder hides a cross-domain import.' },
    ],
  },
];
const TEST_FILES = ['**/*.test.ts', '**/test-*.ts'];
const domainBoundaries = domains.flatMap((domain) => {
  const files = [`workers/${domain}/**/*.ts`, ...domainObjects(domain).map((file) => `durable-objects/${file}`)];
  const own = domain === 'platform' ? ['platform'] : [domain, 'platform'];
  const tables = boundaries.tableReads[domain] ?? [];
  return [
    { files, ignores: TEST_FILES, rules: { 'no-restricted-imports': frontDoorOnly(own, { durableObjects: domainObjects(domain), tables }) } },
    // Foreign keys: drizzle needs the referenced table object.
    { files: [`workers/${domain}/tables.ts`], rules: { 'no-restricted-imports': frontDoorOnly(own, { tables: domain === 'platform' ? [] : ['*'] }) } },
  ];
});
const namedExportsOnly = { selector: 'ExportDefaultDeclaration', message: 'Use named exports (only the Worker entry and config files export default).' };

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', '.data', '.wrangler', 'worker-configuration.d.ts', 'migrations'] },
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle },
    rules: {
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        namedExportsOnly,
      ],
    },
  },
  ...featureBoundaries,
  ...domainBoundaries,
  {
    files: ['web/src/lib/**', 'web/src/stores/**', 'web/src/hooks/**', 'web/src/components/ui/**', 'web/src/types/**', 'web/src/config/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/features/*', '@/app/*'], message: 'Shared code must not depend on features or the app layer.' }] },
      ],
    },
  },
  {
    // The shared input rules are imported by the Worker and by the browser bundle: plain zod, nothing else.
    files: ['contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\./)', message: 'contract/ holds plain zod schemas shared by the Worker and the SPA; it imports zod and its own modules only.' }] },
      ],
    },
  },
  {
    // The Workers test projects run all their files in one shared runtime (vitest.config.ts), where a replaced
    // module would stay replaced for every file after it.
    files: ['workers/**/*.ts', 'durable-objects/**/*.ts', 'test/integration/**', 'test/security/**', 'test/races/**', 'test/reliability/**', 'test/support/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        namedExportsOnly,
        {
          selector: "CallExpression[callee.object.name='vi'][callee.property.name=/^(mock|doMock|unmock|doUnmock)$/]",
          message: 'Workers tests share one runtime: pass a fake through the deps instead of replacing a module.',
        },
      ],
    },
  },
  {
    // Each browser test is a shopper on an address of its own (test/e2e/fixtures.ts).
    files: ['test/e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@playwright/test', importNames: ['test'], message: "Import `test` from './fixtures.ts': it gives each test its own client address." }] },
      ],
    },
  },
  {
    files: ['workers/index.ts', '*.config.ts', '*.config.js', 'test/global-setup.ts', 'web/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
