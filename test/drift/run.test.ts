// dbaas drift's run, before any terraform: --only names are checked against the repo.
import { afterAll, describe, expect, it } from 'vitest';
import { DbaasError, ExitCode } from '../../src/errors.js';
import { runDrift } from '../../src/drift/run.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('runDrift', () => {
  it('refuses unknown --only names with exit 2 before building or planning anything', async () => {
    const dir = tempRepo('example');
    const error = await runDrift({ dir, only: ['nope'], workDir: '.dbaas/drift', parallelism: 1, offline: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbaasError);
    expect((error as DbaasError).exitCode).toBe(ExitCode.invalid);
    expect((error as DbaasError).problems.map((p) => p.field)).toEqual(['--only']);
  });
});
