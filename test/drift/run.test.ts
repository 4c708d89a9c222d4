// dbaas drift's run, before any terraform: --only names are checked against the repo.
import { afterAll, describe, expect, it } from 'vitest';
import { DbaasError, ExitCode } from '../../src/errors.js';
import { runDrift, unknownDatabases } from '../../src/drift/run.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

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

describe('runDrift', () => {
  it('refuses unknown --only names with exit 2 before building or planning anything', async () => {
    const dir = tempRepo('example');
    const error = await runDrift({ dir, only: ['nope'], workDir: '.dbaas/drift', parallelism: 1, offline: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbaasError);
    expect((error as DbaasError).exitCode).toBe(ExitCode.invalid);
    expect((error as DbaasError).problems.map((p) => p.field)).toEqual(['--only']);
  });
});
