/**
 * Counts the run for the one line CI reads: `N passed, N failed, N skipped`. A test file that
 * fails to load, a suite whose hook fails, and an error outside any test each count as a
 * failure. Writes test-results/summary.json (test/run.ts adds what failed outside the tests and
 * prints the line last); run by hand, vitest prints the line itself and writes summary.txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      failed += module.errors().length;
      // A failed beforeAll/afterAll: its suite's errors (its tests may show as skipped).
      for (const suite of module.children.allSuites()) failed += suite.errors().length;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    failed += unhandledErrors.length;
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/summary.json', `${JSON.stringify({ passed, failed, skipped })}\n`);
    if (process.env.RANDNOTER_TEST_RUNNER === '1') return;
    writeFileSync('test-results/summary.txt', `${line}\n`);
    process.stdout.write(`\n${line}\n`);
  }
}
