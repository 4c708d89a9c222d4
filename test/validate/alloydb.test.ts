// AlloyDB at validate: the spec fields its stack gives no effect to (its profile's unsupportedFields)
// are refused where they are written, and what its construct cannot build (alloydbProblems) is
// reported at the spec line before synth, as for Cloud SQL. The example's insights is the base case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { ALLOYDB_UNSUPPORTED_FIELDS } from '../../src/profiles/engines/alloydb.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, exampleWith, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const INSIGHTS = 'stacks/analytics/insights.yaml';
function problemsOf(dir: string): Problem[] {
  const result = resolveDir(dir);
  return result.ok ? [] : [...result.problems];
}

const lineOf = (dir: string, file: string, text: string) =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

/** One spec line per refused field, written under spec: (or spec.backup:) of insights. */
const WRITTEN: Record<string, { line: string; under: 'spec' | 'backup' }> = {
  storageGb: { line: 'storageGb: 100', under: 'spec' },
  databases: { line: 'databases: [insights]', under: 'spec' },
  table: { line: 'table: { partitionKey: { name: id, type: S } }', under: 'spec' },
  restoreFrom: { line: 'restoreFrom: { database: warehouse-meta, backup: latest }', under: 'spec' },
  'objectives.rtoHours': { line: 'objectives: { rtoHours: 4 }', under: 'spec' },
  'backup.copies': { line: 'copies: [{ region: europe-west4, retentionDays: 35 }]', under: 'backup' },
  'backup.vaultLock': { line: 'vaultLock: { mode: governance, minRetentionDays: 7 }', under: 'backup' },
  'backup.startWindowMinutes': { line: 'startWindowMinutes: 60', under: 'backup' },
  'backup.exports': { line: 'exports: [{ schedule: "0 3 * * *", retentionDays: 7 }]', under: 'backup' },
  'backup.restoreTesting': { line: 'restoreTesting: { schedule: "0 6 * * 0" }', under: 'backup' },
};

describe('AlloyDB at validate', () => {
  it('passes the example repo (insights) with no problem', () => {
    expect(problemsOf(tempRepo('example')).map(formatProblem)).toEqual([]);
  });

  it('covers every field the profile refuses', () => {
    expect(Object.keys(WRITTEN).sort()).toEqual(ALLOYDB_UNSUPPORTED_FIELDS.map((f) => f.field).sort());
  });

  for (const { field, why, instead } of ALLOYDB_UNSUPPORTED_FIELDS) {
    it(`refuses ${field} at the line it is written, with why and what to do instead`, () => {
      const { line, under } = WRITTEN[field]!;
      const dir = exampleWith(
        under === 'spec'
          ? { file: INSIGHTS, from: '  engine: alloydb\n', to: `  engine: alloydb\n  ${line}\n` }
          : { file: INSIGHTS, from: '    retentionDays: 35\n', to: `    retentionDays: 35\n    ${line}\n` },
      );
      const refused = problemsOf(dir).filter((p) => p.code === 'DBAAS_UNSUPPORTED_GCP');
      expect(refused.map(formatProblem)).toHaveLength(1);
      const p = refused[0]!;
      expect(p.location?.file).toBe(INSIGHTS);
      expect(p.location?.line).toBe(lineOf(dir, INSIGHTS, line));
      expect(p.field).toMatch(new RegExp(`^spec\\.${field.replace('.', '\\.')}`));
      expect(p.message).toContain(`${field} has no effect on AlloyDB for PostgreSQL: ${why}`);
      expect(p.expected).toBe(instead);
    });
  }

  it('reports a refused backup field in the BackupPolicy an AlloyDB database uses', () => {
    const dir = exampleWith({
      file: INSIGHTS,
      from: / {2}backup:\n( {4}.*\n)+/,
      to: '  backup:\n    policy: gcp-prod\n',
    });
    const refused = problemsOf(dir).filter((p) => p.code === 'DBAAS_UNSUPPORTED_GCP');
    const where = refused.map((p) => `${p.location?.file} ${p.field}`).sort();
    expect(where).toEqual(
      [
        'stacks/shared/backup-policies.yaml spec.copies',
        'stacks/shared/backup-policies.yaml spec.exports',
        'stacks/shared/backup-policies.yaml spec.vaultLock',
      ].sort(),
    );
    expect(refused.every((p) => p.message.includes('BackupPolicy gcp-prod is used by GCP database insights'))).toBe(true);
  });

  it('does not apply the Cloud SQL refusals to AlloyDB (its own checks say what AlloyDB needs)', () => {
    const dir = exampleWith({ file: INSIGHTS, from: '  engine: alloydb\n', to: '  engine: alloydb\n  maintenanceWindow: { day: sun, startTime: "05:30" }\n' });
    const problems = problemsOf(dir);
    expect(problems.filter((p) => p.code === 'DBAAS_UNSUPPORTED_GCP')).toEqual([]);
    const maintenance = problems.filter((p) => p.code === 'DBAAS_ALLOYDB_MAINTENANCE');
    expect(maintenance).toHaveLength(1);
    expect(maintenance[0]!.location).toMatchObject({ file: INSIGHTS, line: lineOf(dir, INSIGHTS, 'maintenanceWindow') });
  });

  it('reports what the AlloyDB construct cannot build at the spec or config line, before synth', () => {
    const schedule = exampleWith({ file: INSIGHTS, from: 'schedule: "0 20 * * *"', to: 'schedule: "30 20 * * *"' });
    const s = problemsOf(schedule).filter((p) => p.code === 'DBAAS_ALLOYDB_SCHEDULE');
    expect(s.map((p) => `${p.location?.file}:${p.location?.line} ${p.field}`)).toEqual([
      `${INSIGHTS}:${lineOf(schedule, INSIGHTS, 'schedule:')} backup.schedule`,
    ]);
    expect(s[0]!.message).toMatch(/AlloyDB starts backups on the whole UTC hour; expected minute 0/);

    const version = exampleWith({ file: INSIGHTS, from: '  engine: alloydb\n', to: '  engine: alloydb\n  version: "13"\n' });
    expect(problemsOf(version).map((p) => p.code)).toContain('DBAAS_ALLOYDB_VERSION');

    const machine = exampleWith({
      file: 'dbaas.config.yaml',
      from: 'alloydb: { small: "2", medium: "4",',
      to: 'alloydb: { small: "2", medium: db-custom-2-7680,',
    });
    const m = problemsOf(machine).filter((p) => p.code === 'DBAAS_ALLOYDB_MACHINE');
    expect(m).toHaveLength(1);
    expect(m[0]!.message).toContain('size medium maps to "db-custom-2-7680", which is not an AlloyDB machine');

    const open = exampleWith({ file: INSIGHTS, from: '  engine: alloydb\n', to: '  engine: alloydb\n  publiclyAccessible: true\n' });
    const pub = problemsOf(open).filter((p) => p.code === 'DBAAS_ALLOYDB_PUBLIC');
    expect(pub.map((p) => p.location?.line)).toEqual([lineOf(open, INSIGHTS, 'publiclyAccessible')]);
  });

  it('exits 2 with one located line per problem and no stack trace (dbaas validate)', async () => {
    const dir = exampleWith({ file: INSIGHTS, from: '  engine: alloydb\n', to: '  engine: alloydb\n  storageGb: 100\n' });
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr + result.stdout).toMatch(
      new RegExp(`${INSIGHTS.replace(/\//g, '\\/')}:${lineOf(dir, INSIGHTS, 'storageGb')}:\\d+: .*storageGb has no effect on AlloyDB`),
    );
    expect(result.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });
});
