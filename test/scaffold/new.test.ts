// dbaas new's library half: the repo's choices, and the spec written only once it validates.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DbaasError, ExitCode } from '../../src/errors.js';
import { newDatabaseRepo, writeNewDatabase } from '../../src/scaffold/new.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
afterAll(cleanupTempRepos);

const answers = {
  name: 'invoices',
  team: 'payments',
  environment: 'staging',
  cloud: 'aws',
  engine: 'postgres',
  region: 'eu-west-1',
  size: 'small',
  notify: ['payments-oncall'],
  labels: { 'cost-center': 'cc-1234' },
};

describe('newDatabaseRepo and writeNewDatabase', () => {
  it("offers the config's teams and knows the taken names; writes a spec that validates", () => {
    const dir = tempRepo('example');
    const repo = newDatabaseRepo(dir);
    expect(repo.choices.teams).toContain('payments');
    expect(repo.taken.has('orders')).toBe(true);
    const outcome = writeNewDatabase(repo.files, answers);
    expect(outcome.json.file).toBe('stacks/payments/invoices.yaml');
    expect(outcome.json.exitCode).not.toBe(ExitCode.invalid);
    expect(readFileSync(join(dir, 'stacks/payments/invoices.yaml'), 'utf8')).toBe(outcome.json.spec);
  });

  it('writes nothing when the spec does not validate (exit 2 with the problems in the new file)', () => {
    const dir = tempRepo('example');
    const outcome = writeNewDatabase(newDatabaseRepo(dir).files, { ...answers, region: 'mars-north-1' });
    expect(outcome.json).toMatchObject({ ok: false, exitCode: ExitCode.invalid });
    expect(outcome.problems.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'stacks/payments/invoices.yaml'))).toBe(false);
  });

  it('writes an AlloyDB spec without the fields its profile refuses (storageGb), which validates', () => {
    const dir = tempRepo('example');
    const repo = newDatabaseRepo(dir);
    expect(repo.choices.engines('gcp')).toContain('alloydb');
    const outcome = writeNewDatabase(repo.files, { ...answers, team: 'analytics', cloud: 'gcp', engine: 'alloydb', region: 'europe-west1', notify: [] });
    expect(outcome.json.spec).toContain('  engine: alloydb\n');
    expect(outcome.json.spec).not.toContain('storageGb');
    expect(outcome.problems).toEqual([]);
    expect(outcome.json.exitCode).not.toBe(ExitCode.invalid);
    // Cloud SQL keeps its storage size.
    const pg = writeNewDatabase(newDatabaseRepo(tempRepo('example')).files, {
      ...answers,
      team: 'analytics',
      cloud: 'gcp',
      region: 'europe-west1',
      notify: [],
    });
    expect(pg.json.spec).toContain('  storageGb: 20\n');
  });

  it('refuses a repo without a usable config (exit 2)', () => {
    expect(() => newDatabaseRepo(join(tempRepo('example'), 'stacks'))).toThrow(DbaasError);
  });
});
