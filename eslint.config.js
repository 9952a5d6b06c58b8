import { readdirSync } from 'node:fs';

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
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (only the Worker entry and config files export default).' },
      ],
    },
  },
  ...featureBoundaries,
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
        { patterns: [{ regex: '^(?!zod$)', message: 'contract/ holds plain zod schemas shared by the Worker and the SPA; it imports zod only.' }] },
      ],
    },
  },
  {
    files: ['workers/index.ts', '*.config.ts', '*.config.js', 'test/global-setup.ts', 'web/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
