import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { loadPolicyContext } from '../../src/guard/context.js';
import { BASELINE_DIR, loadRegistry } from '../../src/guard/registry.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { capabilityTable } from '../../src/profiles/capabilities.js';
import { guardDir } from '../../src/pipeline.js';
import { cleanupTempRepos } from '../helpers/repo.js';
import { GUARD_FIXTURES, REPO_ROOT, repoWithPolicies, TODAY } from './helpers.js';

afterAll(cleanupTempRepos);

/** Loads the example repo plus one fixture guardrail and returns the load problems. */
function problemsWith(fixture: string) {
  const dir = repoWithPolicies([fixture]);
  const result = guardDir(dir, { env: TODAY });
  expect(result.ok, fixture).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('fail closed: a guardrail file that does not load stops validate (exit 2) and names the file', () => {
  const cases: { fixture: string; code: string; line: number; message: RegExp }[] = [
    { fixture: 'policies-fail/fail-yaml-syntax.yaml', code: 'DBAAS_YAML_SYNTAX', line: 9, message: /expected valid YAML/ },
    { fixture: 'policies-fail/fail-unknown-keyword.yaml', code: 'DBAAS_GUARDRAIL_DOES_NOT_COMPILE', line: 9, message: /unknown keyword: "minimun"/ },
    // A repo's own asserts are checked against the JSON Schema meta-schema on every load (the shipped pack's by test/guard/meta.test.ts).
    {
      fixture: 'policies-fail/fail-invalid-schema.yaml',
      code: 'DBAAS_GUARDRAIL_DOES_NOT_COMPILE',
      line: 9,
      message: /schema is invalid: data\/properties\/backup\/properties\/retentionDays\/minimum must be number/,
    },
    {
      fixture: 'policies-fail/fail-id-mismatch.yaml',
      code: 'DBAAS_GUARDRAIL_ID_MISMATCH',
      line: 4,
      message: /"some-other-id" differs from the file name; expected "fail-id-mismatch"/,
    },
    { fixture: 'policies-fail/fail-missing-tests.yaml', code: 'DBAAS_OUT_OF_RANGE', line: 13, message: /at least 1 item/ },
    {
      fixture: 'policies-fail/fail-two-documents.yaml',
      code: 'DBAAS_GUARDRAIL_FILE',
      line: 15,
      message: /2 YAML documents; expected exactly one Guardrail per file/,
    },
    { fixture: 'policies-fail/fail-fix-not-writable.yaml', code: 'DBAAS_GUARDRAIL_FIX_NOT_WRITABLE', line: 13, message: /fix writes "allowed"/ },
    { fixture: 'policies-fail/fail-wrong-kind.yaml', code: 'DBAAS_UNKNOWN_KIND', line: 2, message: /expected kind Guardrail/ },
    {
      fixture: 'policies-fail/fail-backreference-pattern.yaml',
      code: 'DBAAS_GUARDRAIL_UNSAFE_PATTERN',
      line: 13,
      message:
        /pattern "\^\(\\\\w\+\)-\\\\1\$" cannot run in linear time \(invalid escape sequence: `\\1`\); expected a pattern without backreferences or lookaround/,
    },
    {
      fixture: 'policies-fail/fail-lookahead-pattern.yaml',
      code: 'DBAAS_GUARDRAIL_UNSAFE_PATTERN',
      line: 13,
      message: /pattern "\^\(\?!tmp-\)" cannot run in linear time/,
    },
    {
      fixture: 'policies-fail/fail-unknown-engine.yaml',
      code: 'DBAAS_GUARDRAIL_UNKNOWN_ENGINE',
      line: 10,
      message: /names engine "postgress", which no engine profile defines; expected one of postgres, mysql,.*; fix the name, or match a capability instead/,
    },
    {
      fixture: 'policies-fail/fail-unknown-capability.yaml',
      code: 'DBAAS_GUARDRAIL_UNKNOWN_CAPABILITY',
      line: 10,
      message: /names capability "high-availabilty", which no engine profile defines; expected one of sql, tls,/,
    },
    {
      fixture: 'policies-fail/fail-unknown-test-engine.yaml',
      code: 'DBAAS_GUARDRAIL_UNKNOWN_ENGINE',
      line: 15,
      message: /names engine "dynamo", which no engine profile defines.*; fix the test case's engine/,
    },
  ];
  it.each(cases)('$fixture → $code', ({ fixture, code, line, message }) => {
    const problems = problemsWith(fixture);
    const file = `policies/${fixture.split('/').pop()}`;
    const match = problems.find((p) => p.code === code);
    expect(match, problems.map(formatProblem).join('\n')).toBeDefined();
    expect(match!.location).toMatchObject({ file, line });
    expect(match!.message).toMatch(message);
    // Only the broken file is blamed: the example specs themselves are fine.
    expect(problems.every((p) => p.location?.file === file)).toBe(true);
  });

  it('names an unknown engine or capability in one line: place, field, value, expectation, fix and the closest name, once', () => {
    const lines = problemsWith('policies-fail/fail-unknown-engine.yaml').map(formatProblem);
    // Once: the schema's enum error for the same field is not repeated.
    const engines = [...new Set(capabilityTable().map((row) => row.engine))].join(', ');
    expect(lines).toEqual([
      `policies/fail-unknown-engine.yaml:10:14: error DBAAS_GUARDRAIL_UNKNOWN_ENGINE spec.match.engine[0]: names engine "postgress", which no engine profile defines; expected one of ${engines}; fix the name, or match a capability instead (GUARDRAILS.md lists which engines have which) (did you mean "postgres"?)`,
    ]);
    expect(engines).toContain('postgres, mysql, aurora-postgresql, aurora-mysql, dynamodb, sqlserver');
    const capability = problemsWith('policies-fail/fail-unknown-capability.yaml');
    expect(capability).toEqual([
      expect.objectContaining({
        code: 'DBAAS_GUARDRAIL_UNKNOWN_CAPABILITY',
        field: 'spec.match.capability[1]',
        value: 'high-availabilty',
        suggestion: 'did you mean "high-availability"?',
        location: { file: 'policies/fail-unknown-capability.yaml', line: 10, column: 23 },
      }),
    ]);
    const testCase = problemsWith('policies-fail/fail-unknown-test-engine.yaml');
    expect(testCase).toEqual([
      expect.objectContaining({
        code: 'DBAAS_GUARDRAIL_UNKNOWN_ENGINE',
        field: 'spec.tests.fail[0].engine',
        value: 'dynamo',
        suggestion: 'did you mean "dynamodb"?',
      }),
    ]);
  });

  it('lets an org guardrail narrow by a known engine name', () => {
    const dir = repoWithPolicies([]);
    const text = readFileSync(join(GUARD_FIXTURES, 'policies-fail', 'fail-unknown-engine.yaml'), 'utf8')
      .replace('[postgress]', '[postgres, mysql]')
      .replaceAll('fail-unknown-engine', 'org-mysql-ssl');
    writeFileSync(join(dir, 'policies', 'org-mysql-ssl.yaml'), text);
    const result = guardDir(dir, { env: TODAY });
    expect(result.ok, JSON.stringify(result.ok ? [] : result.problems)).toBe(true);
  });

  it('refuses an org guardrail that reuses a baseline id, pointing at overrides instead', () => {
    const problems = problemsWith('fail-baseline-id/backups-enabled.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DBAAS_DUPLICATE_GUARDRAIL', location: { file: 'policies/backups-enabled.yaml', line: 5 } });
    // The baseline lives outside this temp repo, so it is named by its absolute path.
    expect(problems[0]!.message).toContain(`is a baseline guardrail (${join(BASELINE_DIR, 'backups-enabled.yaml').replace(/\\/g, '/')}:5:7)`);
    expect(problems[0]!.message).toMatch(/guardrails\.overrides\.backups-enabled in dbaas\.config\.yaml/);
  });

  it('rejects an override that names no guardrail, with a did-you-mean hint', () => {
    const dir = repoWithPolicies([]);
    const config = join(dir, 'dbaas.config.yaml');
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, `${text}\nguardrails:\n  overrides:\n    offsite-copy-requird: { severity: "off", reason: a typo in the id here }\n`);
    const result = guardDir(dir, { env: TODAY });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'DBAAS_UNKNOWN_GUARDRAIL',
        suggestion: 'did you mean "offsite-copy-required"?',
        location: expect.objectContaining({ file: 'dbaas.config.yaml' }),
      }),
    ]);
  });
});

describe('loading the registry', () => {
  it('loads the baseline pack once when --dir is the dbaas checkout itself', () => {
    const files = readRepoFiles(REPO_ROOT);
    expect(files.policies.length).toBeGreaterThanOrEqual(20);
    const registry = loadRegistry({ root: REPO_ROOT, repoFiles: files.policies });
    expect(registry.problems).toEqual([]);
    expect(registry.guardrails).toHaveLength(files.policies.length);
    expect(registry.guardrails.every((g) => g.source === 'baseline')).toBe(true);
  });

  it("adds an org repo's guardrails to the baseline and names baseline files relative to the repo", () => {
    const dir = join(GUARD_FIXTURES, 'repos', 'pass-org');
    const context = loadPolicyContext(dir);
    const org = context.registry.byId.get('org-owner-label');
    expect(org).toMatchObject({ source: 'repo', file: 'policies/org-owner-label.yaml', severity: 'warning' });
    const baseline = context.registry.byId.get('backups-enabled');
    expect(baseline?.source).toBe('baseline');
    expect(baseline?.file).toMatch(/(^|\/)policies\/backups-enabled\.yaml$/);
    expect(context.overrides.map((o) => [o.guardrail, o.severity, o.reason])).toEqual([
      ['cross-account-copy', 'off', 'no backup account before Q3 (INFRA-88)'],
      ['restore-testing-production', 'warning', 'restore tests start with the new runbook (INFRA-91)'],
    ]);
  });

  it('finds the baseline pack relative to the module, not the working directory', () => {
    expect(BASELINE_DIR.replace(/\\/g, '/')).toMatch(/\/policies\/$/);
    expect(readFileSync(join(BASELINE_DIR, 'backups-enabled.yaml'), 'utf8')).toMatch(/id: backups-enabled/);
  });
});
