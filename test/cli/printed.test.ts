// Under GITHUB_ACTIONS=true, spec text cannot steer the workflow log: the real CLI prints hostile
// spec text and the only workflow commands in its output are its own annotations.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';
import { ANNOTATION, workflowCommandLines } from '../helpers/workflow-commands.js';

const GH = { env: { GITHUB_ACTIONS: 'true' } };
let invalid: string;
let valid: string;

beforeAll(() => {
  // A YAML key may hold a line break: it reaches the "unknown field" problem line as a field name.
  invalid = tempRepo('example');
  const users = join(invalid, 'stacks', 'identity', 'users.yaml');
  writeFileSync(
    users,
    readFileSync(users, 'utf8').replace(
      '  highAvailability: true\n',
      '  highAvailability: true\n  "x\\n::error file=forged.yaml,line=1::forged\\n  ::add-mask::secret\\r::stop-commands::t ##[error]legacy": 1\n',
    ),
  );
  // A valid reason (one visible line) can still hold "::" and "##[" mid-line.
  valid = tempRepo('example');
  const users2 = join(valid, 'stacks', 'identity', 'users.yaml');
  writeFileSync(users2, readFileSync(users2, 'utf8').replace(/reason: .*/, 'reason: "##[error]forged ::add-mask::x data residency"'));
});
afterAll(cleanupTempRepos);

function onlyOwnAnnotations(output: string): string[] {
  return workflowCommandLines(output).filter((line) => !ANNOTATION.test(line));
}

describe('printed output under GITHUB_ACTIONS=true', () => {
  it('validate: a problem line carrying a line break and "::" commands prints as text; the annotation escapes it', async () => {
    const result = await runCli(['validate', '--dir', invalid], GH);
    expect(result.exitCode).toBe(2);
    expect(onlyOwnAnnotations(result.stdout + result.stderr)).toEqual([]);
    const problem = result.stdout.split('\n').find((l) => l.includes('DBAAS_UNKNOWN_FIELD') && !l.startsWith('::'));
    expect(problem).toMatch(/^stacks\/identity\/users\.yaml:\d+:\d+: error DBAAS_UNKNOWN_FIELD spec\.x$/);
    expect(result.stdout).toContain(':\u200b:error file=forged.yaml,line=1::forged');
    expect(result.stdout).toContain('#\u200b#[error]legacy');
    const annotation = result.stdout.split('\n').find((l) => l.startsWith('::error file=stacks/identity/users.yaml'))!;
    expect(annotation).toMatch(ANNOTATION);
    expect(annotation).toContain('spec.x%0A::error file=forged.yaml');
  });

  it('validate --json: the data is unchanged, the text has no "##["', async () => {
    const result = await runCli(['validate', '--dir', valid, '--json'], GH);
    expect(result.stdout).not.toContain('##[');
    const json = JSON.parse(result.stdout);
    expect(json.findings.find((f: { waived?: unknown; database?: string }) => f.waived && f.database === 'users').waived.reason).toBe(
      '##[error]forged ::add-mask::x data residency',
    );
  });

  it('validate and plan (text) print a waiver reason with "##[" as text', async () => {
    const validate = await runCli(['validate', '--dir', valid], GH);
    expect(validate.exitCode).toBe(0);
    expect(onlyOwnAnnotations(validate.stdout + validate.stderr)).toEqual([]);
    expect(validate.stdout).toContain('waived until 2027-05-15: #\u200b#[error]forged ::add-mask::x data residency');
    const plan = await runCli(['plan', '--dir', valid, '--all'], GH);
    expect(onlyOwnAnnotations(plan.stdout + plan.stderr)).toEqual([]);
    expect(plan.stdout).toContain('#\u200b#[error]forged');
  });
});

describe('routing', () => {
  it('commands print a workflow command only through BaseCommand.annotate (log() would neutralise it)', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = join(__dirname, '..', '..', 'src', 'commands');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const calls = files.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => /nnotation\(/.test(l) && !/^import /.test(l))
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !/this\.annotate\((finding)?[aA]nnotation\(/.test(c))).toEqual([]);
  });
});
