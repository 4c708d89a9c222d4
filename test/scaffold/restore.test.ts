// dbaas restore's library half: arguments checked, the spec validated with the repo, then written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DbaasError, ExitCode } from '../../src/errors.js';
import { writeRestore } from '../../src/scaffold/restore.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
afterAll(cleanupTempRepos);

describe('writeRestore', () => {
  it('writes a restore of orders at the latest point in time, with the source named in restoreFrom', () => {
    const dir = tempRepo('example');
    const outcome = writeRestore({ dir, source: 'orders', name: 'orders-r', pointInTime: 'latest' });
    expect(outcome.json.file).toBe('stacks/payments/orders-r.yaml');
    expect(outcome.json.exitCode).not.toBe(ExitCode.invalid);
    const written = readFileSync(join(dir, 'stacks/payments/orders-r.yaml'), 'utf8');
    expect(written).toBe(outcome.json.spec);
    expect(written).toMatch(/restoreFrom:[\s\S]*database: orders[\s\S]*pointInTime: latest/);
  });

  it('refuses an unknown source, a bad name and a missing restore point at once (exit 2), writing nothing', () => {
    const dir = tempRepo('example');
    const error = (() => {
      try {
        writeRestore({ dir, source: 'ordrs', name: 'Bad_Name' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DbaasError);
    expect((error as DbaasError).exitCode).toBe(ExitCode.invalid);
    expect((error as DbaasError).problems.map((p) => p.code)).toEqual(['DBAAS_RESTORE_UNKNOWN_SOURCE', 'DBAAS_RESTORE_ANSWER', 'DBAAS_RESTORE_ANSWER']);
    expect(existsSync(join(dir, 'stacks/payments/Bad_Name.yaml'))).toBe(false);
  });
});
