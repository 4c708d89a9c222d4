// The meta-test over the guardrail registry (like typescript-eslint's over its rules): every
// guardrail is well formed, tested by its own cases, documented and in sync with GUARDRAILS.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineMarkdown } from '../../src/render/guardrails-md.js';
import { testGuardrail } from '../../src/guard/policy-test.js';
import { BASELINE_DIR, compileGuardrailFiles, createGuardAjv, loadRegistry } from '../../src/guard/registry.js';
import { GUARD_KEYWORDS } from '../../src/guard/keywords.js';
import { REPO_ROOT } from './helpers.js';

const registry = loadRegistry({ root: REPO_ROOT, repoFiles: [] });
const files = readdirSync(BASELINE_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('the baseline pack registry', () => {
  it('loads without a problem and has at least 20 guardrails', () => {
    expect(registry.problems).toEqual([]);
    expect(registry.guardrails.length).toBeGreaterThanOrEqual(20);
    expect(registry.guardrails).toHaveLength(files.length);
  });

  it('has unique ids, each equal to its file name', () => {
    const ids = registry.guardrails.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(registry.guardrails.map((g) => `${g.id}.yaml`)).toEqual(files);
    for (const g of registry.guardrails) expect(g.file).toBe(`policies/${g.id}.yaml`);
  });

  describe.each(registry.guardrails.map((g) => [g.id, g] as const))('%s', (_id, g) => {
    it("asserts with a valid JSON Schema (the registry checks only a repo's own guardrails against the meta-schema on load)", () => {
      const ajv = createGuardAjv();
      expect(ajv.validateSchema(g.assert), ajv.errorsText(ajv.errors)).toBe(true);
    });
    it('names what it mirrors and how to remediate', () => {
      expect(g.references.length).toBeGreaterThan(0);
      for (const r of g.references) expect(r.trim().length).toBeGreaterThan(3);
      expect(g.remediation.length).toBeGreaterThan(10);
    });
    it('has pass and fail cases that behave, and a fix that repairs every fail case', () => {
      expect(g.tests.pass.length).toBeGreaterThan(0);
      expect(g.tests.fail.length).toBeGreaterThan(0);
      expect(testGuardrail(g).failures).toEqual([]);
    });
  });

  it('covers every control the issue lists', () => {
    const mirrored = registry.guardrails.flatMap((g) => g.references).join('\n');
    const controls = [
      'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
      'BACKUP_RECOVERY_POINT_ENCRYPTED',
      'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
      'BACKUP_LAST_RECOVERY_POINT_CREATED',
      'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
      'BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT',
      'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
      'db-instance-backup-enabled',
      'dynamodb-pitr-enabled',
      'rds-storage-encrypted',
      'rds-instance-deletion-protection-enabled',
      'rds-instance-public-access-check',
      'CKV_AWS_133',
      'CKV_AWS_28',
      'CKV_AWS_16',
      'CKV_AWS_293',
      'CKV_AWS_157',
      'CKV_AWS_17',
      'CKV_AWS_166',
      'CKV_GCP_14',
      'CKV2_GCP_20',
      'CKV_GCP_6',
      'CKV_GCP_60',
    ];
    for (const control of controls) expect(mirrored, control).toMatch(new RegExp(`\\b${control}\\b`));
  });

  it("covers the issue's own rules with the right scope", () => {
    const g = (id: string) => registry.byId.get(id)!;
    expect(g('backups-enabled').fix).toEqual({ backup: { enabled: true } });
    for (const id of [
      'pitr-production',
      'offsite-copy-required',
      'vault-lock-required',
      'deletion-protection-production',
      'high-availability-production',
      'restore-testing-production',
    ]) {
      expect(g(id).match.environment, id).toEqual(['production']);
      expect(g(id).severity, id).toBe('error');
    }
    expect(g('restore-testing-production').match.cloud).toEqual(['aws']);
    expect(g('dynamodb-pitr').match).toEqual({ capability: ['table-pitr'] });
    for (const id of ['region-allowed', 'size-allowed', 'required-labels', 'missing-backup-alert', 'backup-failure-alert', 'alert-channel-required'])
      expect(g(id).match, id).toEqual({});
  });

  it('uses every custom keyword somewhere', () => {
    const text = JSON.stringify(registry.guardrails.map((g) => g.assert));
    for (const k of GUARD_KEYWORDS) expect(text, k.name).toContain(`"${k.name}"`);
  });

  it('GUARDRAILS.md is in sync (npm run build && node scripts/gen-guardrails-md.mjs)', () => {
    const markdown = readFileSync(join(REPO_ROOT, 'GUARDRAILS.md'), 'utf8');
    expect(markdown).toBe(baselineMarkdown());
    for (const g of registry.guardrails) expect(markdown).toContain(`| <code>${g.id}</code> | ${g.severity} |`);
    for (const k of GUARD_KEYWORDS) expect(markdown).toContain(`### \`${k.name}\``);
  });
});

describe('GUARDRAILS.md', () => {
  it('shows a guardrail example that loads and passes its own tests', () => {
    const markdown = readFileSync(join(REPO_ROOT, 'GUARDRAILS.md'), 'utf8');
    const example = markdown.match(/```yaml\n([\s\S]*?)```/)?.[1];
    expect(example).toBeDefined();
    const compiled = compileGuardrailFiles(createGuardAjv(), [{ file: 'policies/owner-label.yaml', text: example! }], 'repo');
    expect(compiled.problems).toEqual([]);
    expect(testGuardrail(compiled.guardrails[0]!).failures).toEqual([]);
  });
});

describe('the policy tests catch a broken guardrail', () => {
  it('reports a pass case that fails, a fail case that passes, and a fix that does not fix', async () => {
    const { readFileSync: read } = await import('node:fs');
    const file = join(REPO_ROOT, 'test', 'fixtures', 'guard', 'fail-case-misbehaves', 'fail-case-misbehaves.yaml');
    const broken = compileGuardrailFiles(createGuardAjv(), [{ file: 'policies/fail-case-misbehaves.yaml', text: read(file, 'utf8') }], 'repo');
    expect(broken.problems).toEqual([]);
    const result = testGuardrail(broken.guardrails[0]!);
    expect(result.failures.map((f) => [f.kind, f.index, f.location.line, f.message])).toEqual([
      ['pass', 1, 22, 'pass case 2 gives a finding: backup.retentionDays is 7; must be >= 14'],
      ['fix', 0, 24, 'fix does not repair fail case 1: backup.retentionDays is 10; must be >= 14'],
      ['fail', 1, 25, 'fail case 2 gives no finding: it does not match (check environment, cloud, engine, capability, team, labels against match)'],
    ]);
  });

  it("names the capability a fail case's engine lacks", () => {
    const text = [
      'apiVersion: dbaas.dev/v1',
      'kind: Guardrail',
      'metadata: { id: tls-case, severity: error }',
      'spec:',
      '  description: Connections must use TLS here too.',
      '  references: ["test"]',
      '  match: { environment: [production], capability: [tls] }',
      '  assert: { properties: { requireSsl: { const: true } } }',
      '  remediation: Set requireSsl to true.',
      '  tests:',
      '    pass: [{ environment: production, engine: postgres, requireSsl: true }]',
      '    fail: [{ environment: production, cloud: aws, engine: dynamodb, requireSsl: false }, { environment: staging, cloud: aws, engine: dynamodb, requireSsl: false }]',
    ].join('\n');
    const compiled = compileGuardrailFiles(createGuardAjv(), [{ file: 'policies/tls-case.yaml', text }], 'repo');
    expect(compiled.problems).toEqual([]);
    expect(testGuardrail(compiled.guardrails[0]!).failures.map((f) => f.message)).toEqual([
      'fail case 1 gives no finding: it does not match: engine "dynamodb" on "aws" lacks capability tls',
      // Another condition fails too: the general hint, not a half-true one.
      'fail case 2 gives no finding: it does not match (check environment, cloud, engine, capability, team, labels against match)',
    ]);
  });
});
