import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { partsRequired } from './support/system-parts.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const extensionRoot = fileURLToPath(new URL('../extension', import.meta.url));

/**
 * Without a PostgreSQL and Redis (npm test starts them; test/run.ts) the PostgreSQL project's
 * tests are skipped, hooks and all: a name pattern that matches no test. With CI=true they run.
 */
const postgresMissing = !process.env.RANDNOTER_TEST_POSTGRES_URL && !partsRequired;

export default defineConfig({
  test: {
    root,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          root,
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/.output/**'],
          environment: 'node',
        },
      },
      {
        // Extension modules with WXT's fake browser APIs (storage, runtime) instead of a browser.
        plugins: [WxtVitest({ root: extensionRoot })],
        test: {
          name: 'extension',
          root: extensionRoot,
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/.output/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          root,
          include: ['test/integration/**/*.test.ts', 'test/convergence/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same server tests on PostgreSQL (a fresh database per server), plus the tests of
        // several processes sharing rooms through Redis. npm test starts both services (test/run.ts).
        test: {
          name: 'integration-postgres',
          root,
          include: ['test/integration/**/*.test.ts', 'test/scale-out/**/*.test.ts'],
          env: { RANDNOTER_TEST_DATABASE: 'postgres' },
          ...(postgresMissing ? { testNamePattern: /^(?!)/ } : {}),
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Attacks kept as regression tests (docs/SECURITY.md). One file at a time: several measure
        // an honest user's latency while the attack runs, which a parallel file would disturb.
        test: {
          name: 'security',
          root,
          include: ['test/security/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One browser at a time: the CI machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
