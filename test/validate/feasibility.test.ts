// validate ✓ means synth ✓: what a stack builder would refuse is invalid input at validate, pointed at
// the file that must change, every problem named. And copy regions are regions of the database's own
// cloud, allowed for its team.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { guardFiles, resolveFiles } from '../../src/pipeline.js';
import { awsDb, baseConfig, channel, gcpDb, repoFiles, type Obj } from './repo-builder.js';

function problemsOf(config: Obj | null, specs: Obj[]): Problem[] {
  const r = resolveFiles(repoFiles(config, specs));
  return r.ok ? [] : [...r.problems];
}
const where = (p: Problem) => `${p.location?.file}:${p.location?.line}:${p.location?.column}`;

describe('validate refuses what synth would refuse', () => {
  it('points a missing state.gcp at dbaas.config.yaml, naming every GCP database', () => {
    const config = baseConfig();
    delete (config.state as Obj).gcp;
    const problems = problemsOf(config, [gcpDb('one'), gcpDb('two'), awsDb('three')]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DBAAS_NO_STATE', field: 'state.gcp', location: { file: 'dbaas.config.yaml' } });
    expect(problems[0]!.message).toMatch(/one, two/);
    expect(problems[0]!.location!.line).toBeGreaterThan(1);
    expect(problems[0]!.suggestion).toMatch(/add state\.gcp/);
  });

  it('points a missing cloudSqlServiceAgent at the project in dbaas.config.yaml, once per project', () => {
    const config = baseConfig();
    delete ((config.clouds as Obj).gcp as { projects: { development: Obj } }).projects.development.cloudSqlServiceAgent;
    const exportsBackup = { exports: [{ schedule: '0 4 * * *', retentionDays: 7 }] };
    const problems = problemsOf(config, [gcpDb('one'), gcpDb('two', {}, exportsBackup)]);
    const agent = problems.filter((p) => p.code === 'DBAAS_GCP_NO_SERVICE_AGENT');
    // CMEK (storageEncrypted, the default) needs it for both; exports need it too: two kinds, one place.
    expect(agent.length).toBeGreaterThanOrEqual(1);
    for (const p of agent) {
      expect(p.location?.file).toBe('dbaas.config.yaml');
      expect(p.field).toBe('clouds.gcp.projects.development.cloudSqlServiceAgent');
      expect(p.suggestion).toMatch(/gcp-sa-cloud-sql/);
    }
    expect(agent.map((p) => p.message).join(' ')).toMatch(/one, two/);
    expect(problems.every((p) => !/and \d+ more/.test(p.message))).toBe(true);
  });

  it('points an export that excludes every database at the exclusions, and names every problem of a database', () => {
    const problems = problemsOf(baseConfig(), [
      gcpDb(
        'one',
        { databases: ['a', 'b'], users: [{ name: 'app', passwordSecret: 'secretsmanager:x' }] },
        { exports: [{ schedule: '0 4 * * *', retentionDays: 7, excludeDatabases: ['*'] }], encryption: { kmsKey: 'alias/x' } },
      ),
    ]);
    const codes = problems.map((p) => p.code).sort();
    // passwordSecret: refused once, by the GCP field table at the field (the synth check's repeat is dropped).
    expect(codes).toEqual(['DBAAS_GCP_EXPORT_EMPTY', 'DBAAS_GCP_KMS_KEY', 'DBAAS_UNSUPPORTED_GCP']);
    const empty = problems.find((p) => p.code === 'DBAAS_GCP_EXPORT_EMPTY')!;
    expect(empty).toMatchObject({ location: { file: 'stacks/team-a/one.yaml' } });
    expect(empty.field).toMatch(/excludeDatabases/);
  });

  it('refuses AWS specs synth cannot build: cron, key, table, own-account copy, channel secret store', () => {
    const problems = problemsOf(baseConfig(), [
      awsDb('cron', {}, { schedule: '0 3 1 * 1' }),
      awsDb('key', {}, { encryption: { kmsKey: 'projects/acme-keys/locations/europe-west1/keyRings/r/cryptoKeys/k' } }),
      awsDb('table', { engine: 'dynamodb' }),
      awsDb('own', {}, { copies: [{ account: '333333333333', retentionDays: 7 }] }),
      awsDb('sqlserver', { engine: 'sqlserver' }),
      awsDb('hook-a', { notify: ['ops'] }),
      awsDb('hook-b', { notify: ['ops'] }),
      channel('ops', { webhook: { urlSecret: 'gcp-secretmanager:hook' } }),
    ]);
    const byCode = (code: string) => problems.filter((p) => p.code === code);
    expect(byCode('DBAAS_SYNTH_CRON')[0]).toMatchObject({ location: { file: 'stacks/team-a/cron.yaml' } });
    expect(byCode('DBAAS_SYNTH_KMS_KEY')).toHaveLength(1);
    expect(byCode('DBAAS_SYNTH_COPY')).toHaveLength(1);
    // The schema already refuses a table-less DynamoDB and an engine the cloud lacks.
    expect(problems.find((p) => p.location?.file === 'stacks/team-a/table.yaml')?.field).toBe('spec.table');
    expect(problems.find((p) => p.location?.file === 'stacks/team-a/sqlserver.yaml')?.field).toBe('spec.engine');
    // One channel, one fix: reported once, in the channel's file (a secret reference is refused on
    // both clouds by the field table; the secret-store check behind it is not repeated).
    const secret = problems.filter((p) => p.location?.file === 'stacks/ops.yaml' && p.field === 'spec.webhook.urlSecret');
    expect(secret).toHaveLength(1);
    expect(secret[0]!.code).toMatch(/^DBAAS_UNSUPPORTED/);
    for (const p of problems) expect(where(p)).toMatch(/^stacks\/\S+\.yaml:\d+:\d+$/);
  });

  it('accepts the same repo once the config is complete', () => {
    expect(problemsOf(baseConfig(), [gcpDb('one'), awsDb('two')])).toEqual([]);
  });
});

describe('copy regions are regions of the same cloud, allowed for the team', () => {
  it('refuses an AWS copy to a GCP region and a GCP copy to an AWS region at validate, with a hint of the own cloud', () => {
    const problems = problemsOf(baseConfig(), [
      awsDb('aws-one', { environment: 'production', region: 'eu-west-1' }, { copies: [{ region: 'europe-west4', retentionDays: 7 }] }),
      gcpDb('gcp-one', { environment: 'production' }, { copies: [{ region: 'eu-central-1', retentionDays: 7 }] }),
    ]);
    const copy = problems.filter((p) => p.code === 'DBAAS_COPY_REGION_CLOUD');
    expect(copy).toHaveLength(2);
    const aws = copy.find((p) => p.location?.file === 'stacks/team-a/aws-one.yaml')!;
    expect(aws.message).toMatch(/"europe-west4", which is not a aws region/);
    expect(aws.suggestion).toMatch(/e\.g\. eu-central-1/);
    const gcp = copy.find((p) => p.location?.file === 'stacks/team-a/gcp-one.yaml')!;
    expect(gcp.suggestion).toMatch(/e\.g\. europe-west4/);
    expect(gcp.field).toBe('backup.copies.0.region');
  });

  it('refuses a primary region spelled for the other cloud', () => {
    const problems = problemsOf(baseConfig(), [awsDb('a', { region: 'europe-west1' })]);
    // The schema's per-cloud region pattern refuses it first (DBAAS_INVALID_FORMAT), before the
    // resolved-database check (DBAAS_REGION_CLOUD) would: either way one problem, at spec.region,
    // expecting a region of the database's own cloud.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'spec.region', value: 'europe-west1', location: { file: 'stacks/team-a/a.yaml' } });
    expect(['DBAAS_INVALID_FORMAT', 'DBAAS_REGION_CLOUD']).toContain(problems[0]!.code);
    expect(problems[0]!.message).toMatch(/expected an AWS region such as eu-/);
  });

  it('makes a copy outside the account regions a guardrail error (copy-region-allowed), and the offsite hint names a region of the own cloud', () => {
    const guarded = guardFiles(
      repoFiles(baseConfig(), [
        awsDb('far', { environment: 'production' }, { copies: [{ region: 'us-east-1', retentionDays: 7 }] }),
        gcpDb('lonely', { environment: 'production' }),
      ]),
      { env: { DBAAS_NOW: '2026-11-21' } },
    );
    expect(guarded.ok).toBe(true);
    if (!guarded.ok) return;
    const findings = guarded.guard.findings;
    const far = findings.find((f) => f.guardrail === 'copy-region-allowed' && f.database === 'far');
    expect(far).toMatchObject({ severity: 'error', field: 'backup.copies[0].region' });
    expect(far!.message).toMatch(/"us-east-1", which is not allowed here; expected one of eu-west-1, eu-central-1/);
    const offsite = findings.find((f) => f.guardrail === 'offsite-copy-required' && f.database === 'lonely');
    expect(offsite!.message).toMatch(/region: europe-west4/);
    expect(offsite!.message).not.toMatch(/eu-central-1/);
    expect(offsite!.remediation).not.toMatch(/eu-central-1/);
  });
});
