// One linter for the whole repo: typescript-eslint's recommended rules, plus the few that
// keep STYLE.md honest (no `any` in domain code, no stray process.env reads).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/.next-*/**',
      '**/.turbo/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      'test-results/**',
      'bench/results/**',
      '**/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // Configuration is parsed once per runtime (packages/config); nothing else reads the
    // environment. Scripts, tests, benchmarks and tool configs are the edges that set it up.
    files: ['packages/**/src/**/*.ts', 'apps/**/*.{ts,tsx}'],
    ignores: [
      'packages/config/src/**',
      '**/*.test.ts',
      '**/test/**',
      'packages/testkit/**',
      '**/next.config.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through @flotilla/config.',
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
