// Closes the run with a plain "N passed, N failed, N skipped" line and says which integration
// checks (tests named "[integration] ...") ran and which were skipped, and why.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const integration: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        if (test.name.includes('[integration]'))
          integration.push(`  ${state === 'skipped' ? 'SKIPPED' : state === 'passed' ? 'RAN    ' : 'FAILED '} ${test.fullName}`);
      }
    }
    const out = [
      '',
      'integration checks:',
      ...(integration.length ? integration : ['  (none registered)']),
      '',
      `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
