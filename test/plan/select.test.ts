// --only names checked against the repo (src/plan/select.ts), shared by plan and drift.
import { describe, expect, it } from 'vitest';
import { unknownDatabases } from '../../src/plan/select.js';

describe('unknownDatabases', () => {
  it('names each --only name that is no database, with a did-you-mean, and nothing for known names', () => {
    const problems = unknownDatabases(['orders', 'ordrs', 'zzz'], ['orders', 'ledger']);
    expect(problems.map((p) => [p.code, p.field, p.message])).toEqual([
      ['DBAAS_UNKNOWN_DATABASE', '--only', 'no database named "ordrs" in this repo; expected one of the names under stacks/'],
      ['DBAAS_UNKNOWN_DATABASE', '--only', 'no database named "zzz" in this repo; expected one of the names under stacks/'],
    ]);
    expect(problems[0]!.suggestion).toMatch(/orders/);
    expect(problems[1]!.suggestion).toBeUndefined();
  });
});
