import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line — `tests: N passed, N failed, N skipped` — after vitest's
 * own summary, so CI can read the counts of `npm test` without knowing vitest's format.
 */
export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed += 1;
        else if (state === 'failed') count.failed += 1;
        else count.skipped += 1;
      }
      // A file that failed to load, or whose beforeAll threw (its tests then show as
      // skipped), failed all the same: count it once unless one of its tests already did.
      const testFailed = [...module.children.allTests()].some((t) => t.result().state === 'failed');
      if (module.state() === 'failed' && !testFailed) count.failed += 1;
    }
    process.stdout.write(`\ntests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
