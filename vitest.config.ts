import { defineConfig } from 'vitest/config';

// Three projects, run in this order by `npm test`:
// - unit: pure code (packages/engine above all), table tests next to the code, no services.
// - integration: real PostgreSQL, Redis, git and kube-apiservers (packages/testkit starts them).
// - e2e: real Chromium against the built dashboard, worker and API servers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each kube-apiserver takes ~300 MB and a core while it starts: two files at a time.
          maxWorkers: 2,
          minWorkers: 1,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
