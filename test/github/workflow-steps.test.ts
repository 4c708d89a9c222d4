// Runs the shell steps of dbaas-plan.yml and dbaas-apply.yml for real, with bash as GitHub runs
// them, in a scaffolded infra repo with git history and the dbaas CLI from this checkout (dist/,
// built by `npm test`). Terraform stays off: those steps are the same commands with --terraform.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffold } from '../../src/scaffold/index.js';
import { REPO_ROOT } from '../helpers/repo.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_ENV }).then((r) => r.stdout.trim());
const EXAMPLE = 'stacks/example-team/example.yaml';

interface StepRun {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
  stderr: string;
}

function script(workflow: string, job: string, id: string): string {
  const wf = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', workflow), 'utf8')) as {
    jobs: Record<string, { steps: { id?: string; run?: string }[] }>;
  };
  const step = wf.jobs[job]!.steps.find((s) => s.id === id);
  if (!step?.run) throw new Error(`${workflow}: job ${job} has no run step with id ${id}`);
  return step.run;
}

/** Runs a step's script the way GitHub's default bash shell does, with its env and step files. */
async function runStep(cwd: string, run: string, env: Record<string, string>): Promise<StepRun> {
  const files = mkdtempSync(join(tmpdir(), 'dbaas-step-'));
  made.push(files);
  const scriptFile = join(files, 'step.sh');
  writeFileSync(scriptFile, run);
  writeFileSync(join(files, 'output'), '');
  writeFileSync(join(files, 'summary'), '');
  const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd,
    reject: false,
    env: {
      ...GIT_ENV,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_STEP_SUMMARY: join(files, 'summary'),
      DBAAS_NOW: '2026-11-21',
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(join(files, 'output'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { exitCode: result.exitCode ?? -1, outputs, summary: readFileSync(join(files, 'summary'), 'utf8'), stderr: result.stderr };
}

/** A scaffolded infra repo on main (also as origin/main), with node_modules/dbaas → this checkout. */
async function infraRepo(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dbaas-wf-'));
  made.push(dir);
  scaffold({ dir });
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'dbaas'));
  symlinkSync(join('..', 'dbaas', 'bin', 'run.js'), join(dir, 'node_modules', '.bin', 'dbaas'));
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'scaffold');
  await git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  return dir;
}

async function change(dir: string, from: string, to: string, message: string): Promise<void> {
  const file = join(dir, EXAMPLE);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  await git(dir, 'commit', '-qam', message);
}

describe('dbaas-plan.yml, the "dbaas plan" step', () => {
  const run = script('dbaas-plan.yml', 'plan', 'plan');

  it('plans a pull request against origin/main into markdown, JSON and SARIF, and passes exit 0 on', async () => {
    const dir = await infraRepo();
    await git(dir, 'checkout', '-qb', 'grow');
    await change(dir, 'storageGb: 50', 'storageGb: 80', 'more storage');
    const step = await runStep(dir, run, { BASE_REF: 'main', TERRAFORM: 'false' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ 'exit-code': '0' });
    const markdown = readFileSync(join(dir, 'dbaas-plan', 'plan.md'), 'utf8');
    expect(markdown).toContain('<!-- dbaas-plan -->');
    expect(markdown).toContain('allocated_storage: 50 → 80');
    const json = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'plan.json'), 'utf8'));
    expect(json.base.ref).toBe('origin/main');
    expect(json.stacks.map((s: { name: string }) => s.name)).toEqual(['example']);
    expect(JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'dbaas.sarif'), 'utf8')).version).toBe('2.1.0');
    // Only the first of the three runs speaks to GitHub (GITHUB_ACTIONS is cleared for the others).
    expect(step.summary.split('<!-- dbaas-plan -->')).toHaveLength(2);
  });

  it('keeps going on a guardrail error, so the comment and SARIF still happen, and hands exit 1 on', async () => {
    const dir = await infraRepo();
    await git(dir, 'checkout', '-qb', 'short-retention');
    await change(dir, 'retentionDays: 35\n', 'retentionDays: 7\n', 'keep backups a week');
    const step = await runStep(dir, run, { BASE_REF: 'main', TERRAFORM: 'false' });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ 'exit-code': '1' });
    expect(readFileSync(join(dir, 'dbaas-plan', 'plan.md'), 'utf8')).toMatch(/backup-retention-minimum/);
    const sarif = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'dbaas.sarif'), 'utf8'));
    const locations = sarif.runs[0].results.map((r: any) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
    expect(locations).toContain(EXAMPLE);
    expect(step.stderr).toMatch(/::error file=stacks\/example-team\/example\.yaml/);
  });
});

describe('dbaas-plan.yml, every shell step in order, as a pull request with a problem', () => {
  const wf = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'dbaas-plan.yml'), 'utf8')) as {
    jobs: { plan: { steps: { name?: string; id?: string; run?: string; env?: Record<string, string>; 'continue-on-error'?: boolean; uses?: string }[] } };
  };
  // The steps GitHub runs before the comment, as it runs them: a failing step without
  // continue-on-error ends the job there. `npm ci` is this checkout's own install, already done.
  const beforeComment = wf.jobs.plan.steps.slice(
    0,
    wf.jobs.plan.steps.findIndex((s) => s.uses?.startsWith('actions/github-script')),
  );

  async function runJob(dir: string): Promise<{ stopped?: string; stderr: string }> {
    let stderr = '';
    for (const step of beforeComment) {
      if (!step.run || /^npm ci\b/.test(step.run.trim())) continue;
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v === '${{ github.base_ref }}' ? 'main' : v]));
      const result = await runStep(dir, step.run, { TERRAFORM: 'false', ...env });
      stderr += result.stderr;
      if (result.exitCode !== 0 && !step['continue-on-error']) return { stopped: step.name ?? step.id ?? step.run, stderr };
    }
    return { stderr };
  }

  it('a guardrail error reaches the comment, the SARIF and the annotations', async () => {
    const dir = await infraRepo();
    await git(dir, 'checkout', '-qb', 'short-retention');
    await change(dir, 'retentionDays: 35\n', 'retentionDays: 7\n', 'keep backups a week');
    const job = await runJob(dir);
    expect(job.stopped).toBeUndefined();
    const markdown = readFileSync(join(dir, 'dbaas-plan', 'plan.md'), 'utf8');
    expect(markdown).toMatch(/backup-retention-minimum/);
    expect(markdown).not.toContain('No plan was made');
    const sarif = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'dbaas.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('backup-retention-minimum');
    expect(job.stderr).toMatch(/::error file=stacks\/example-team\/example\.yaml,line=\d+/);
  });

  it('invalid input (exit 2) reaches the comment and the annotations too', async () => {
    const dir = await infraRepo();
    await git(dir, 'checkout', '-qb', 'typo');
    await change(dir, 'retentionDays: 35\n', 'retentionDay: 35\n', 'typo');
    const job = await runJob(dir);
    expect(job.stopped).toBeUndefined();
    const markdown = readFileSync(join(dir, 'dbaas-plan', 'plan.md'), 'utf8');
    expect(markdown).toContain('Invalid input');
    expect(markdown).toContain('retentionDay');
    expect(job.stderr).toMatch(/::error file=stacks\/example-team\/example\.yaml,line=\d+,col=\d+,title=DBAAS_UNKNOWN_FIELD::/);
  });
});

describe('dbaas-plan.yml, sized, sharded and merged (the list, shard and merge steps, for real)', () => {
  const wf = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'dbaas-plan.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { id?: string; run?: string }[] }>;
  };
  const size = script('dbaas-plan.yml', 'plan', 'size');
  const shard = script('dbaas-plan.yml', 'shard', 'plan');
  const merge = script('dbaas-plan.yml', 'merge', 'plan');
  const single = script('dbaas-plan.yml', 'plan', 'plan');

  /** A pull request adding `n` databases (copies of the example), so the change is worth several runners. */
  async function bigChange(n: number): Promise<string> {
    const dir = await infraRepo();
    await git(dir, 'checkout', '-qb', 'many');
    // The Database document only (the file also defines the BackupPolicy it uses).
    const text = readFileSync(join(dir, EXAMPLE), 'utf8').split('\n---\n')[0]!;
    for (let i = 1; i <= n; i++)
      writeFileSync(join(dir, 'stacks', 'example-team', `copy-${i}.yaml`), text.replace('name: example\n', `name: copy-${String(i).padStart(2, '0')}\n`));
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', `${n} databases`);
    return dir;
  }

  it('stays one job without terraform (a plan of seconds), whatever the size of the change', async () => {
    const dir = await bigChange(20);
    const step = await runStep(dir, size, { BASE_REF: 'main', TERRAFORM: 'false', DBAAS_MAX_SHARDS: '8', DBAAS_SHARD_TARGET_MINUTES: '1' });
    expect(step.exitCode, step.stderr).toBe(0);
    expect(step.outputs).toEqual({ shards: '1', matrix: '[1]' });
  });

  it('with terraform: sizes the matrix from --list, capped by DBAAS_MAX_SHARDS; one shard for a small change; one when --list fails', async () => {
    const dir = await bigChange(30);
    const capped = await runStep(dir, size, { BASE_REF: 'main', TERRAFORM: 'true', DBAAS_MAX_SHARDS: '2', DBAAS_SHARD_TARGET_MINUTES: '1' });
    expect(capped.exitCode, capped.stderr).toBe(0);
    const list = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'list.json'), 'utf8'));
    expect(list.stacks).toHaveLength(30);
    expect(list.suggestedShards).toBeGreaterThan(2);
    expect(capped.outputs).toEqual({ shards: '2', matrix: '[1,2]' });
    const uncapped = await runStep(dir, size, { BASE_REF: 'main', TERRAFORM: 'true', DBAAS_MAX_SHARDS: '500', DBAAS_SHARD_TARGET_MINUTES: '1' });
    expect(uncapped.outputs.shards).toBe(String(list.suggestedShards));
    const roomy = await runStep(dir, size, { BASE_REF: 'main', TERRAFORM: 'true', DBAAS_MAX_SHARDS: '8', DBAAS_SHARD_TARGET_MINUTES: '60' });
    expect(roomy.outputs).toEqual({ shards: '1', matrix: '[1]' });
    const broken = await runStep(dir, size, { BASE_REF: 'no-such-branch', TERRAFORM: 'true', DBAAS_MAX_SHARDS: '8', DBAAS_SHARD_TARGET_MINUTES: '1' });
    expect(broken.exitCode).toBe(0);
    expect(broken.outputs).toEqual({ shards: '1', matrix: '[1]' });
  });

  it('plans 3 shards, and the merge step writes the comment, JSON and SARIF an unsharded plan writes', async () => {
    const dir = await bigChange(12);
    const whole = await runStep(dir, single, { BASE_REF: 'main', TERRAFORM: 'false' });
    expect(whole.outputs).toEqual({ 'exit-code': '0' });
    const expected = ['plan.md', 'plan.json', 'dbaas.sarif'].map((f) => readFileSync(join(dir, 'dbaas-plan', f), 'utf8'));
    rmSync(join(dir, 'dbaas-plan'), { recursive: true });
    for (const k of [1, 2, 3]) {
      const step = await runStep(dir, shard, { BASE_REF: 'main', TERRAFORM: 'false', SHARD: String(k), SHARDS: '3' });
      expect(step.exitCode, step.stderr).toBe(0);
      expect(step.outputs).toEqual({ 'exit-code': '0' });
      // Shards leave annotations to the merge (they would repeat every finding N times).
      expect(step.stderr).not.toMatch(/^::/m);
      // What download-artifact makes of each shard's upload: one folder per artifact.
      const artifact = join(dir, 'downloaded', `dbaas-plan-pr7-shard-${k}`);
      mkdirSync(artifact, { recursive: true });
      writeFileSync(join(artifact, `shard-${k}.json`), readFileSync(join(dir, 'dbaas-plan', `shard-${k}.json`)));
    }
    rmSync(join(dir, 'dbaas-plan'), { recursive: true });
    mkdirSync(join(dir, 'dbaas-plan'));
    await execa('mv', [join(dir, 'downloaded'), join(dir, 'dbaas-plan', 'shards')]);
    const merged = await runStep(dir, merge, {});
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.outputs).toEqual({ 'exit-code': '0' });
    expect(['plan.md', 'plan.json', 'dbaas.sarif'].map((f) => readFileSync(join(dir, 'dbaas-plan', f), 'utf8'))).toEqual(expected);
    expect(JSON.parse(expected[1]!).stacks).toHaveLength(12);
    expect(merged.summary.split('<!-- dbaas-plan -->')).toHaveLength(2);

    // A shard whose job died: the merge says which, exits 2, and writes no comment (the comment step then says the plan failed).
    rmSync(join(dir, 'dbaas-plan', 'shards', 'dbaas-plan-pr7-shard-2'), { recursive: true });
    rmSync(join(dir, 'dbaas-plan', 'plan.md'));
    const missing = await runStep(dir, merge, {});
    expect(missing.exitCode).toBe(0);
    expect(missing.outputs).toEqual({ 'exit-code': '2' });
    expect(missing.stderr).toMatch(/shard 2\/3 is missing/);
    expect(existsSync(join(dir, 'dbaas-plan', 'plan.md'))).toBe(false);
    expect(wf.jobs.merge!.steps.map((st) => st.id ?? '')).toContain('plan');
  });
});

describe('dbaas-apply.yml, finding the base and planning', () => {
  const findBase = script('dbaas-apply.yml', 'plan', 'base');
  const plan = script('dbaas-apply.yml', 'plan', 'plan');

  /** A stand-in for the gh CLI: `run list` prints `lines`, `run view` says whether the apply job succeeded. */
  function fakeGh(lines: string, applied: string): string {
    const bin = mkdtempSync(join(tmpdir(), 'dbaas-gh-'));
    made.push(bin);
    writeFileSync(join(bin, 'gh'), `#!/bin/sh\nif [ "$2" = list ]; then printf '%s' '${lines}'; else echo ${applied}; fi\n`);
    chmodSync(join(bin, 'gh'), 0o755);
    return `${bin}${delimiter}${process.env.PATH}`;
  }

  it('starts from the last run whose apply job succeeded', async () => {
    const dir = await infraRepo();
    const applied = await git(dir, 'rev-parse', 'HEAD');
    await change(dir, 'storageGb: 50', 'storageGb: 80', 'merged change');
    const step = await runStep(dir, findBase, {
      BRANCH: 'main',
      GITHUB_REPOSITORY: 'acme/infra',
      ENVIRONMENT: 'production',
      PATH: fakeGh(`7:${applied}\n`, '1'),
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs.commit).toBe(applied);
  });

  it('with nothing applied yet, plans every stack (--all)', async () => {
    const dir = await infraRepo();
    const step = await runStep(dir, findBase, { BRANCH: 'main', GITHUB_REPOSITORY: 'acme/infra', ENVIRONMENT: 'production', PATH: fakeGh('', '0') });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ commit: '' });

    const planned = await runStep(dir, plan, { BASE: '', TERRAFORM: 'false', ALLOW_DESTROY: 'false', ENVIRONMENT: 'production' });
    expect(planned.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'plan.json'), 'utf8'));
    expect(json.base).toBeNull();
    expect(json.stacks.map((s: { name: string; action: string }) => [s.name, s.action])).toEqual([['example', 'create']]);
    expect(planned.summary.split('<!-- dbaas-plan -->')).toHaveLength(2);
  });

  it('ignores a remembered commit that is not in the history (rewritten) and plans everything', async () => {
    const dir = await infraRepo();
    const step = await runStep(dir, findBase, {
      BRANCH: 'main',
      GITHUB_REPOSITORY: 'acme/infra',
      ENVIRONMENT: 'production',
      PATH: fakeGh(`7:${'a'.repeat(40)}\n`, '1'),
    });
    expect(step.exitCode).toBe(0);
    expect(step.outputs).toEqual({ commit: '' });
  });

  it('plans only what changed since that commit', async () => {
    const dir = await infraRepo();
    const applied = await git(dir, 'rev-parse', 'HEAD');
    await change(dir, 'storageGb: 50', 'storageGb: 80', 'merged change');
    const planned = await runStep(dir, plan, { BASE: applied, TERRAFORM: 'false', ALLOW_DESTROY: 'false', ENVIRONMENT: 'production' });
    expect(planned.exitCode).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'plan.json'), 'utf8'));
    expect(json.base.commit).toBe(applied);
    expect(json.stacks.map((s: { name: string; action: string }) => [s.name, s.action])).toEqual([['example', 'update']]);
  });
});

describe('dbaas-apply.yml, one job per environment', () => {
  const list = script('dbaas-apply.yml', 'environments', 'list');
  const plan = script('dbaas-apply.yml', 'plan', 'plan');
  const record = script('dbaas-apply.yml', 'plan', 'target');
  const targets = script('dbaas-apply.yml', 'targets', 'targets');
  const summary = script('dbaas-apply.yml', 'summary', 'summary');

  it("lists the config's environments as a one-line JSON matrix", async () => {
    const dir = await infraRepo();
    const step = await runStep(dir, list, {});
    expect(step.exitCode).toBe(0);
    expect(JSON.parse(step.outputs.matrix!)).toEqual([
      { name: 'staging', requireApproval: false },
      { name: 'production', requireApproval: true },
    ]);
    expect(step.outputs.matrix).not.toContain('\n');
  });

  it('a staging-only change plans nothing for production, and only staging is chosen to apply', async () => {
    const dir = await infraRepo();
    const base = await git(dir, 'rev-parse', 'HEAD');
    // A new staging database, copied from the example's Database document.
    const example = readFileSync(join(dir, EXAMPLE), 'utf8').split('\n---\n')[0]!;
    writeFileSync(
      join(dir, 'stacks', 'example-team', 'example-staging.yaml'),
      example
        .replace('name: example', 'name: example-staging')
        .replace('environment: production', 'environment: staging')
        .replace('highAvailability: true', 'highAvailability: false')
        .replace(/ {2}backup:\n {4}policy: prod-standard[^\n]*\n/, '  backup: { schedule: "0 3 * * *", retentionDays: 7 }\n'),
    );
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-qm', 'a staging database');
    // The planned manifest stands in for terraform's (TERRAFORM is off here): staging has one stack.
    const outcomes: Record<string, string> = {};
    for (const [env, approval] of [
      ['staging', 'false'],
      ['production', 'true'],
    ] as const) {
      const planned = await runStep(dir, plan, { BASE: base, TERRAFORM: 'false', ALLOW_DESTROY: 'false', ENVIRONMENT: env });
      const json = JSON.parse(readFileSync(join(dir, 'dbaas-plan', 'plan.json'), 'utf8'));
      const names = json.stacks.map((s: { name: string }) => s.name);
      mkdirSync(join(dir, 'dbaas-plan', 'plans'), { recursive: true });
      writeFileSync(join(dir, 'dbaas-plan', 'plans', 'manifest.json'), JSON.stringify({ stacks: Object.fromEntries(names.map((n: string) => [n, {}])) }));
      const recorded = await runStep(dir, record, {
        PLAN_OUTCOME: planned.exitCode === 0 ? 'success' : 'failure',
        REQUIRE_APPROVAL: approval,
        ENVIRONMENT: env,
      });
      expect(recorded.exitCode).toBe(0);
      outcomes[env] = readFileSync(join(dir, 'dbaas-target', `${env}.json`), 'utf8');
    }
    expect(JSON.parse(outcomes.staging!)).toEqual({ name: 'staging', requireApproval: false, plan: 'success', stacks: 1 });
    expect(JSON.parse(outcomes.production!)).toEqual({ name: 'production', requireApproval: true, plan: 'success', stacks: 0 });
    const chosen = await runStep(dir, targets, { TERRAFORM: 'true' });
    expect(chosen.exitCode).toBe(0);
    expect(JSON.parse(chosen.outputs.matrix!)).toEqual([{ name: 'staging', requireApproval: false }]);
    expect(chosen.outputs.count).toBe('1');
  });

  it('chooses nothing without cloud credentials, and environments with no stacks are left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-targets-'));
    made.push(dir);
    mkdirSync(join(dir, 'dbaas-target'));
    writeFileSync(join(dir, 'dbaas-target', 'production.json'), JSON.stringify({ name: 'production', requireApproval: true, plan: 'success', stacks: 2 }));
    writeFileSync(join(dir, 'dbaas-target', 'development.json'), JSON.stringify({ name: 'development', requireApproval: false, plan: 'success', stacks: 1 }));
    writeFileSync(join(dir, 'dbaas-target', 'staging.json'), JSON.stringify({ name: 'staging', requireApproval: false, plan: 'success', stacks: 0 }));
    expect((await runStep(dir, targets, { TERRAFORM: 'false' })).outputs).toEqual({ matrix: '[]', count: '0' });
    const chosen = await runStep(dir, targets, { TERRAFORM: 'true' });
    expect(JSON.parse(chosen.outputs.matrix!)).toEqual([
      { name: 'development', requireApproval: false },
      { name: 'production', requireApproval: true },
    ]);
  });

  it('the summary shows every environment, and fails when one failed without hiding the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-summary-'));
    made.push(dir);
    const sha = 'abc123';
    mkdirSync(join(dir, 'dbaas-target'));
    const outcome = (name: string, plan: string, stacks: number) =>
      writeFileSync(join(dir, 'dbaas-target', `${name}.json`), JSON.stringify({ name, requireApproval: name === 'production', plan, stacks }));
    outcome('development', 'failure', 0);
    outcome('staging', 'success', 2);
    outcome('production', 'success', 1);
    const report = (name: string, r: object) => {
      mkdirSync(join(dir, 'dbaas-applied', `dbaas-applied-${sha}-${name}`), { recursive: true });
      writeFileSync(join(dir, 'dbaas-applied', `dbaas-applied-${sha}-${name}`, 'apply-report.json'), JSON.stringify(r));
    };
    report('staging', {
      applied: [{ stack: 'a' }],
      alreadyApplied: [],
      refused: [],
      failed: [{ stack: 'b' }],
      notStarted: [],
      interrupted: false,
      exitCode: 1,
    });
    report('production', { applied: [{ stack: 'c' }], alreadyApplied: [], refused: [], failed: [], notStarted: [], interrupted: false, exitCode: 0 });
    const step = await runStep(dir, summary, { GITHUB_SHA: sha });
    expect(step.exitCode).toBe(1);
    expect(step.summary).toContain('| development | failure, 0 stack(s) | not run: the plan failed |');
    expect(step.summary).toContain('| staging | success, 2 stack(s) | 1 applied, 0 already applied, 0 refused, 1 failed, 0 not started |');
    expect(step.summary).toContain('| production | success, 1 stack(s) | 1 applied, 0 already applied, 0 refused, 0 failed, 0 not started |');
  });
});
