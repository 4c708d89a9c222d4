// The GitHub workflows: valid for GitHub's own parser, the same in templates/ as here, and doing
// what the pipeline needs (permissions, triggers, the plan comment, the approved apply).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';
import { loadWorkflowParser } from './workflow-parser.js';

const WORKFLOWS = join(REPO_ROOT, '.github', 'workflows');
const TEMPLATE_WORKFLOWS = join(REPO_ROOT, 'templates', 'infra-repo', '.github', 'workflows');
const INFRA_WORKFLOWS = ['dbaas-apply.yml', 'dbaas-drift.yml', 'dbaas-plan.yml', 'dbaas-report.yml'];

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: unknown; queue?: string };
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const allFiles = [...readdirSync(WORKFLOWS).map((f) => join(WORKFLOWS, f)), ...readdirSync(TEMPLATE_WORKFLOWS).map((f) => join(TEMPLATE_WORKFLOWS, f))];
const load = (file: string): Workflow => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
/** A value with `${{ env.NAME }}` replaced from the workflow-level env. */
const resolveEnv = (wf: Workflow, value: unknown): string => String(value).replace(/\$\{\{ env\.(\w+) \}\}/g, (_m, name: string) => String(wf.env?.[name]));
const planScriptOf = (job: Job): string => job.steps.map((s) => s.run ?? '').join('\n');
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((j) => j.steps);
const stepUsing = (job: Job, action: string): Step => {
  const step = job.steps.find((s) => s.uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`no step uses ${action}`);
  return step;
};

async function githubErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await loadWorkflowParser();
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !parsed.value) return errors.length ? errors : ['no workflow'];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message).concat(template.jobs?.length ? [] : ['no jobs']);
}

describe('workflow files, as GitHub parses them (@actions/workflow-parser)', () => {
  it('finds this repo CI and both infra-repo workflows, here and in templates/', () => {
    expect(readdirSync(WORKFLOWS).sort()).toEqual(['ci.yml', ...INFRA_WORKFLOWS]);
    expect(readdirSync(TEMPLATE_WORKFLOWS).sort()).toEqual(INFRA_WORKFLOWS);
  });

  it.each(allFiles.map((f) => [f.slice(REPO_ROOT.length), f]))('%s parses and validates with no errors', async (_name, file) => {
    expect(await githubErrors(file, readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('does report errors, so the check above can fail', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: { contents: wrte }\n    stepz: []\n';
    const errors = await githubErrors('broken.yml', broken);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/Unexpected value 'wrte'/), expect.stringMatching(/Unexpected value 'stepz'/)]));
  });

  it.each(INFRA_WORKFLOWS)('templates/infra-repo has the same %s as this repo, byte for byte', (file) => {
    expect(readFileSync(join(TEMPLATE_WORKFLOWS, file), 'utf8')).toBe(readFileSync(join(WORKFLOWS, file), 'utf8'));
  });
});

describe('every workflow', () => {
  const files = readdirSync(WORKFLOWS);

  // A tag can be moved to other code by whoever controls the action's repo; a commit SHA cannot.
  // The comment keeps the version readable (and lets Dependabot update both together).
  it.each(allFiles.map((f) => [f.slice(REPO_ROOT.length), f]))(
    '%s pins each third-party action to a full commit SHA, with its version in a comment',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const parsed = parse(text) as Workflow;
      const uses = steps(parsed).flatMap((s) => (s.uses ? [s.uses] : []));
      const remote = uses.filter((u) => !u.startsWith('./') && !u.startsWith('docker://'));
      expect(remote.length).toBeGreaterThan(0);
      // The comment is not in the parsed YAML, so read the raw lines; every parsed `uses` must be one of them.
      const lines = text.split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
      expect(lines).toHaveLength(uses.length);
      for (const line of lines) {
        const ref = line.replace(/^\s*(- )?uses:\s*/, '');
        if (ref.startsWith('./') || ref.startsWith('docker://')) continue;
        expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
      }
      for (const ref of remote) expect(ref).toMatch(/@[0-9a-f]{40}$/);
    },
  );

  it('pins each action to the same commit in every workflow', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of allFiles) {
      for (const m of readFileSync(file, 'utf8').matchAll(/uses:\s*([\w.-]+\/[\w.-]+)[\w./-]*@(\S+ # \S+)/g)) {
        pins.set(m[1]!, (pins.get(m[1]!) ?? new Set()).add(m[2]!));
      }
    }
    expect(pins.size).toBeGreaterThan(0);
    for (const [action, refs] of pins) expect([action, [...refs]]).toEqual([action, [[...refs][0]]]);
  });

  it.each(files)('%s starts from no permissions or read-only ones, and grants more per job', (file) => {
    const wf = load(file);
    expect([{}, { contents: 'read' }]).toContainEqual(wf.permissions);
  });

  // Script injection: ${{ }} inside a run script is pasted into the shell before it runs.
  it.each(files)('%s passes values to run scripts through env, never ${{ }} inside the script', (file) => {
    for (const step of steps(load(file))) if (step.run) expect(step.run).not.toContain('${{');
  });

  it.each(files)('%s never checks out with a persisted token', (file) => {
    for (const step of steps(load(file)).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      expect(step.with?.['persist-credentials']).toBe(false);
    }
  });

  it.each(files)('%s runs terraform 1.11 without the stdout wrapper', (file) => {
    for (const step of steps(load(file)).filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@'))) {
      expect(resolveEnv(load(file), step.with?.terraform_version)).toMatch(/^1\.11\.\d+$/);
      expect(step.with?.terraform_wrapper).toBe(false);
    }
  });
});

describe('ci.yml (this repo)', () => {
  const ci = load('ci.yml');
  const job = ci.jobs.test!;

  it('runs on push and pull request, on Node 20, 22 and 24', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(job.strategy?.matrix?.node).toEqual([20, 22, 24]);
    expect(stepUsing(job, 'actions/setup-node').with?.['node-version']).toBe('${{ matrix.node }}');
  });

  it('runs npm ci then npm test (the README test command)', () => {
    const runs = job.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(runs.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(runs.indexOf('npm test')).toBeGreaterThan(runs.indexOf('npm ci'));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toMatch(/vitest run/);
  });

  it('mirrors hashicorp/aws 5.100.0 and points the terraform checks at it before the tests', () => {
    expect(ci.env?.AWS_PROVIDER_VERSION).toBe('5.100.0');
    const script = job.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toMatch(/providers mirror -platform=linux_amd64 "\$RUNNER_TEMP\/tf-provider-mirror"/);
    expect(script).toMatch(/aws = \{ source = "hashicorp\/aws", version = "\$AWS_PROVIDER_VERSION" \}/);
    const exportAt = job.steps.findIndex((s) => s.run?.includes('DBAAS_TF_PROVIDER_MIRROR=$RUNNER_TEMP/tf-provider-mirror'));
    const testAt = job.steps.findIndex((s) => s.run?.trim() === 'npm test');
    expect(exportAt).toBeGreaterThan(0);
    expect(exportAt).toBeLessThan(testAt);
    // The variable our code reads (src/terraform/mirror.ts).
    expect(readFileSync(join(REPO_ROOT, 'src', 'terraform', 'mirror.ts'), 'utf8')).toContain("MIRROR_ENV = 'DBAAS_TF_PROVIDER_MIRROR'");
  });
});

describe('dbaas-plan.yml (pull requests)', () => {
  const wf = load('dbaas-plan.yml');
  const job = wf.jobs.plan!;
  const script = job.steps.map((s) => s.run ?? '').join('\n');

  it('runs on pull requests to main that touch specs, guardrails or the config', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.on.pull_request.branches).toEqual(['main']);
    expect(wf.on.pull_request.paths).toEqual(expect.arrayContaining(['stacks/**', 'policies/**', 'dbaas.config.yaml']));
  });

  it('asks for exactly the permissions it uses', () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read', 'id-token': 'write' });
  });

  it('plans each pull request once at a time, cancelling an obsolete run', () => {
    expect(wf.concurrency).toEqual({ group: 'dbaas-plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  it('checks out the whole history, then plans against the base branch in markdown, JSON and SARIF from one run', () => {
    expect(stepUsing(job, 'actions/checkout').with?.['fetch-depth']).toBe(0);
    // plan validates and guards itself; a validate step before it would stop the job on a guardrail
    // error (exit 1) and the comment would say "no plan was made" instead of showing the findings.
    expect(script).not.toContain('dbaas validate');
    const plan = job.steps.find((s) => s.id === 'plan')!;
    expect(plan.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(plan.run).toMatch(/dbaas plan --base "origin\/\$BASE_REF" .*--format markdown --out dbaas-plan\/plan\.md/);
    expect(plan.run).toMatch(/--save-json dbaas-plan\/plan\.json --save-sarif dbaas-plan\/dbaas\.sarif/);
    expect(plan.run?.match(/dbaas plan /g)).toHaveLength(1);
    expect(plan.run).toContain('terraform=(--terraform --plans dbaas-plan/plans)');
  });

  it('uploads the SARIF to code scanning and the plan folder as an artifact, even when the plan fails', () => {
    const sarif = stepUsing(job, 'github/codeql-action/upload-sarif');
    expect(sarif.with).toMatchObject({ sarif_file: 'dbaas-plan/dbaas.sarif' });
    expect(sarif.if).toContain('!cancelled()');
    const artifact = stepUsing(job, 'actions/upload-artifact');
    expect(artifact.with).toMatchObject({ path: 'dbaas-plan/\n!dbaas-plan/**/.terraform/**\n', 'include-hidden-files': true });
    expect(artifact.if).toContain('!cancelled()');
    // The job fails only at the very end, after the comment and uploads.
    expect(job.steps.at(-1)!.run).toContain('exit "$EXIT_CODE"');
  });

  it('creates or updates one comment, found by its hidden marker, and keeps it under 65,536 characters', () => {
    const comment = stepUsing(job, 'actions/github-script');
    const code = String(comment.with?.script);
    expect(code).toContain("const marker = '<!-- dbaas-plan -->'");
    expect(code).toContain('const limit = 65536');
    expect(code).toMatch(/comments\.find\(\(c\) => c\.user\?\.login === 'github-actions\[bot\]' && c\.body\?\.includes\(marker\)\)/);
    expect(code).toContain('github.rest.issues.updateComment');
    expect(code).toContain('github.rest.issues.createComment');
    // A commit that could not be planned replaces the older comment instead of leaving it standing.
    expect(code).toContain('dbaas plan failed');
  });

  it('uses cloud credentials only when configured, and never for pull requests from forks', () => {
    // In the plan job only when it plans alone; the shard jobs plan with the same read-only credentials.
    const aws = stepUsing(job, 'aws-actions/configure-aws-credentials');
    expect(aws.if).toBe("env.TERRAFORM == 'true' && vars.DBAAS_AWS_PLAN_ROLE_ARN != '' && !(steps.size.outputs.shards > 1)");
    expect(aws.with?.['role-to-assume']).toBe('${{ vars.DBAAS_AWS_PLAN_ROLE_ARN }}');
    const gcp = stepUsing(job, 'google-github-actions/auth');
    expect(gcp.if).toBe("env.TERRAFORM == 'true' && vars.DBAAS_GCP_WORKLOAD_IDENTITY_PROVIDER != '' && !(steps.size.outputs.shards > 1)");
    const shard = wf.jobs.shard!;
    expect(stepUsing(shard, 'aws-actions/configure-aws-credentials').if).toBe("env.TERRAFORM == 'true' && vars.DBAAS_AWS_PLAN_ROLE_ARN != ''");
    expect(stepUsing(shard, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe('${{ vars.DBAAS_AWS_PLAN_ROLE_ARN }}');
    expect(stepUsing(shard, 'google-github-actions/auth').if).toBe("env.TERRAFORM == 'true' && vars.DBAAS_GCP_WORKLOAD_IDENTITY_PROVIDER != ''");
    // TERRAFORM is workflow-wide, so every job sees the same fork check.
    expect(String(wf.env?.TERRAFORM)).toMatch(/^\$\{\{ github\.event\.pull_request\.head\.repo\.full_name == github\.repository && /);
    expect(String(wf.env?.SAME_REPO)).toBe('${{ github.event.pull_request.head.repo.full_name == github.repository }}');
    // The merge job reads artifacts and writes the comment: no cloud token at all.
    expect(wf.jobs.merge!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write', actions: 'read' });
    expect(shard.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  it('sizes a matrix from plan --list, capped by DBAAS_MAX_SHARDS (at most 256), and stays one job for a small change', () => {
    const size = job.steps.find((s) => s.id === 'size')!;
    expect(job.steps.findIndex((s) => s.id === 'size')).toBeLessThan(job.steps.findIndex((s) => s.id === 'plan'));
    expect(size.run).toContain('npx --no -- dbaas plan --base "origin/$BASE_REF" --list --json --target-minutes "${DBAAS_SHARD_TARGET_MINUTES:-10}"');
    expect(size.run).toContain('if [ "$max" -gt 256 ]; then max=256; fi');
    expect(Number(wf.env?.DBAAS_MAX_SHARDS)).toBeGreaterThanOrEqual(1);
    expect(Number(wf.env?.DBAAS_MAX_SHARDS)).toBeLessThanOrEqual(256);
    expect(job.outputs).toEqual({ shards: '${{ steps.size.outputs.shards }}', matrix: '${{ steps.size.outputs.matrix }}' });
    // Every step that plans, comments or uploads in the plan job runs only when it plans alone.
    for (const id of ['plan']) expect(job.steps.find((s) => s.id === id)!.if).toBe('${{ !(steps.size.outputs.shards > 1) }}');
    for (const action of ['github/codeql-action/upload-sarif', 'actions/github-script', 'actions/upload-artifact', 'hashicorp/setup-terraform'])
      expect(stepUsing(job, action).if, action).toContain('!(steps.size.outputs.shards > 1)');
    const shard = wf.jobs.shard!;
    expect(shard.needs).toBe('plan');
    expect(shard.if).toBe('${{ !cancelled() && needs.plan.outputs.shards > 1 }}');
    expect(shard.strategy).toEqual({ 'fail-fast': false, matrix: { shard: '${{ fromJSON(needs.plan.outputs.matrix) }}' } });
    const run = shard.steps.find((s) => s.id === 'plan')!.run!;
    expect(run).toContain(
      'npx --no -- dbaas plan --base "origin/$BASE_REF" --shard "$SHARD/$SHARDS" "${terraform[@]}" --format json --out "dbaas-plan/shard-$SHARD.json" || status=$?',
    );
    expect(stepUsing(shard, 'actions/upload-artifact').with?.name).toBe('dbaas-plan-pr${{ github.event.pull_request.number }}-shard-${{ matrix.shard }}');
  });

  it('merges the shards into the one comment, SARIF upload and artifact, even when a shard failed, and fails only at the end', () => {
    const merge = wf.jobs.merge!;
    expect(merge.needs).toEqual(['plan', 'shard']);
    expect(merge.if).toBe('${{ !cancelled() && needs.plan.outputs.shards > 1 }}');
    expect(stepUsing(merge, 'actions/download-artifact').with).toEqual({
      pattern: 'dbaas-plan-pr${{ github.event.pull_request.number }}-shard-*',
      path: 'dbaas-plan/shards',
    });
    expect(merge.steps.find((s) => s.id === 'plan')!.run).toContain('npx --no -- dbaas plan merge "${reports[@]}" --format markdown --out dbaas-plan/plan.md');
    // The same comment script as the plan job (one marker, one comment, the "plan failed" fallback).
    expect(stepUsing(merge, 'actions/github-script').with?.script).toBe(stepUsing(job, 'actions/github-script').with?.script);
    expect(stepUsing(merge, 'actions/github-script').if).toBe("${{ !cancelled() && env.SAME_REPO == 'true' }}");
    expect(stepUsing(merge, 'github/codeql-action/upload-sarif').with).toMatchObject({ sarif_file: 'dbaas-plan/dbaas.sarif', category: 'dbaas' });
    expect(stepUsing(merge, 'actions/upload-artifact').with?.name).toBe('dbaas-plan-pr${{ github.event.pull_request.number }}');
    expect(merge.steps.at(-1)!.run).toContain('exit "$EXIT_CODE"');
    expect(merge.steps.at(-1)!.if).toBe(job.steps.at(-1)!.if);
  });
});

describe('dbaas-apply.yml (after merge, per environment; production after approval)', () => {
  const wf = load('dbaas-apply.yml');
  const environments = wf.jobs.environments!;
  const plan = wf.jobs.plan!;
  const targets = wf.jobs.targets!;
  const apply = wf.jobs.apply!;
  const summary = wf.jobs.summary!;
  const text = readFileSync(join(WORKFLOWS, 'dbaas-apply.yml'), 'utf8');

  it('runs on merges to main (and by hand, for an allowed destroy)', () => {
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.on.workflow_dispatch.inputs['allow-destroy']).toMatchObject({ type: 'boolean', default: false });
    for (const job of [environments, plan, targets, apply, summary]) expect(job.if).toMatch(/github\.ref == 'refs\/heads\/main'/);
  });

  it('reads the environments and their approval flags from dbaas.config.yaml at run time', () => {
    expect(environments.steps.find((s) => s.id === 'list')!.run).toContain('npx --no -- dbaas apply --list-environments --json > environments.json');
    expect(environments.outputs).toEqual({ matrix: '${{ steps.list.outputs.matrix }}' });
    expect(environments.permissions).toEqual({ contents: 'read' });
    expect(plan.needs).toBe('environments');
    expect(plan.strategy).toEqual({ 'fail-fast': false, matrix: { environment: '${{ fromJSON(needs.environments.outputs.matrix) }}' } });
  });

  it('plans each environment on its own, with its own plans, manifest and artifact', () => {
    expect(plan.name).toBe('plan (${{ matrix.environment.name }})');
    expect(plan.env?.ENVIRONMENT).toBe('${{ matrix.environment.name }}');
    expect(planScriptOf(plan)).toContain(
      'npx --no -- dbaas plan --environment "$ENVIRONMENT" "${flags[@]}" "${terraform[@]}" --format markdown --out dbaas-plan/plan.md',
    );
    expect(planScriptOf(plan)).toContain('terraform=(--terraform --plans dbaas-plan/plans)');
    const upload = plan.steps.find((s) => s.name === 'Upload the plan for the apply job')!;
    const download = stepUsing(apply, 'actions/download-artifact');
    expect(upload.with?.name).toBe('dbaas-apply-${{ github.sha }}-${{ matrix.environment.name }}');
    expect(download.with?.name).toBe(upload.with?.name);
    expect(upload.with).toMatchObject({ path: 'dbaas-plan/\n!dbaas-plan/**/.terraform/**\n', 'include-hidden-files': true });
    expect(download.with?.path).toBe('dbaas-plan');
    expect(plan.permissions).toEqual({ contents: 'read', actions: 'read', 'id-token': 'write' });
  });

  it('starts an apply only for environments with stacks to apply, so an untouched production never waits', () => {
    expect(targets.needs).toEqual(['environments', 'plan']);
    expect(targets.if).toMatch(/^always\(\) && /);
    expect(targets.steps.find((s) => s.id === 'targets')!.run).toContain('select(.plan == "success" and .stacks > 0)');
    expect(apply.needs).toBe('targets');
    expect(apply.if).toContain("needs.targets.outputs.count != '0'");
  });

  it('applies each environment in the GitHub environment of its name, without fail-fast, one at a time per environment', () => {
    expect(apply.name).toBe('apply (${{ matrix.environment.name }})');
    expect(apply.environment).toBe('${{ matrix.environment.name }}');
    expect(apply.strategy).toEqual({ 'fail-fast': false, matrix: { environment: '${{ fromJSON(needs.targets.outputs.matrix) }}' } });
    expect((apply as Job & { concurrency?: unknown }).concurrency).toEqual({
      group: 'dbaas-apply-${{ matrix.environment.name }}',
      'cancel-in-progress': false,
      queue: 'max',
    });
    // No run-wide lock: a production apply waiting for review must not hold back the next staging apply.
    expect(wf.concurrency).toBeUndefined();
    expect(apply.permissions).toEqual({ contents: 'read', actions: 'read', 'id-token': 'write' });
    expect(apply.steps.find((s) => s.id === 'apply')!.run).toContain(
      'npx --no -- dbaas apply --environment "$ENVIRONMENT" --plans dbaas-plan/plans "${flags[@]}"',
    );
    expect(text).toMatch(/Required reviewers: the infra\n#\s+team/);
  });

  it('fails closed when the config requires approval but the GitHub environment has no required reviewers', () => {
    const check = apply.steps.find((s) => s.id === 'protected')!;
    expect(check.if).toBe('matrix.environment.requireApproval');
    expect(check.run).toContain('gh api "repos/$GITHUB_REPOSITORY/environments/$ENVIRONMENT"');
    expect(check.run).toContain('select(.type == "required_reviewers")');
    expect(check.run).toContain('exit 1');
    // Before any credentials or the apply itself.
    const at = (s: Step | undefined) => apply.steps.indexOf(s!);
    expect(at(check)).toBeLessThan(at(apply.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))));
    expect(at(check)).toBeLessThan(at(apply.steps.find((s) => s.id === 'apply')));
  });

  it("keeps every environment's result: the apply report is uploaded always, and a summary job lists them all", () => {
    const upload = apply.steps.find((s) => s.name === 'Upload the apply report')!;
    expect(upload.if).toBe('always()');
    expect(String(upload.with?.path)).toContain('dbaas-plan/plans/apply-report.json');
    expect(summary.needs).toEqual(['environments', 'plan', 'targets', 'apply']);
    expect(summary.if).toMatch(/^always\(\) && /);
  });

  it('plans each environment from its last successful apply, so a failed or rejected one is not skipped', () => {
    const base = plan.steps.find((s) => s.id === 'base')!;
    expect(base.run).toContain('gh run list --repo "$GITHUB_REPOSITORY" --workflow dbaas-apply.yml');
    expect(base.run).toContain('select(.name == \\"apply ($ENVIRONMENT)\\" and .conclusion == \\"success\\")');
    expect(planScriptOf(plan)).toContain('flags=(--all)\nif [ -n "$BASE" ]; then flags=(--base "$BASE"); fi');
  });

  it('plans with the read-only role and applies with the apply role', () => {
    expect(stepUsing(plan, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe('${{ vars.DBAAS_AWS_PLAN_ROLE_ARN }}');
    expect(stepUsing(apply, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe('${{ vars.DBAAS_AWS_APPLY_ROLE_ARN }}');
    expect(stepUsing(apply, 'google-github-actions/auth').with?.service_account).toBe('${{ vars.DBAAS_GCP_APPLY_SERVICE_ACCOUNT }}');
  });
});

describe('dbaas commands the workflows run', () => {
  // The flags issue 6 gives plan and apply (and --plans, where plan saves terraform plans, and --all,
  // for a first apply); the
  // commands' own flag definitions are checked too.
  const DOCUMENTED: Record<string, string[]> = {
    validate: [],
    plan: [
      '--base',
      '--all',
      '--format',
      '--out',
      '--terraform',
      '--plans',
      '--allow-destroy',
      '--save-json',
      '--save-sarif',
      '--environment',
      '--list',
      '--json',
      '--target-minutes',
      '--shard',
    ],
    'plan merge': ['--format', '--out', '--save-json', '--save-sarif'],
    apply: ['--plans', '--allow-destroy', '--environment', '--list-environments', '--json'],
    drift: ['--format', '--out', '--save-issues'],
    report: ['--format', '--out', '--save-markdown', '--save-json'],
  };
  // Flags on the command line, plus those a script collects in bash arrays (`terraform=(--terraform ...)`).
  const invocations = readdirSync(WORKFLOWS)
    .flatMap((file) => steps(load(file)).map((s) => s.run ?? ''))
    .flatMap((script) => {
      const arrays = [...script.matchAll(/\w+\+?=\(([^)]*)\)/g)].map((m) => m[1]!).join(' ');
      return [...script.matchAll(/npx --no -- dbaas (\w+(?: merge)?)([^\n]*)/g)].map((m) => ({
        command: m[1]!,
        flags: [...`${m[2]} ${arrays}`.matchAll(/(?<![\w-])(--[a-z-]+)/g)].map((f) => f[1]!),
      }));
    });

  it('calls validate, plan, apply, drift and report through npx --no (never a same-named package from the registry)', () => {
    expect([...new Set(invocations.map((i) => i.command))].sort()).toEqual(['apply', 'drift', 'plan', 'plan merge', 'report', 'validate']);
    const all = readdirSync(WORKFLOWS)
      .map((f) => readFileSync(join(WORKFLOWS, f), 'utf8'))
      .join('\n');
    expect(all).not.toMatch(/npx dbaas/);
  });

  it('uses only flags the commands define', async () => {
    expect(invocations.length).toBeGreaterThanOrEqual(4);
    for (const { command, flags } of invocations) {
      expect(DOCUMENTED[command], command).toBeDefined();
      for (const flag of flags) expect(DOCUMENTED[command], `${command} ${flag}`).toContain(flag);
      const cls = (await import(join(REPO_ROOT, 'src', 'commands', `${command.replace(' ', '/')}.ts`))).default as {
        flags?: object;
        baseFlags?: object;
        enableJsonFlag?: boolean;
      };
      // --json is oclif's own flag, there when the command enables it.
      const defined = [...Object.keys({ ...cls.baseFlags, ...cls.flags }), ...(cls.enableJsonFlag ? ['json'] : [])];
      for (const flag of flags) expect(defined, `${command} ${flag}`).toContain(flag.slice(2));
    }
  });
});

describe('dbaas-drift.yml (scheduled)', () => {
  const wf = load('dbaas-drift.yml');
  const job = wf.jobs.drift!;

  it('runs every day and by hand, on main only, one run at a time', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.on.schedule).toEqual([{ cron: '17 6 * * *' }]);
    expect(job.if).toBe("github.ref == 'refs/heads/main'");
    expect(wf.concurrency).toEqual({ group: 'dbaas-drift', 'cancel-in-progress': false });
  });

  it('reads with the read-only plan role and writes only issues', () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read', issues: 'write', 'id-token': 'write' });
    expect(stepUsing(job, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe('${{ vars.DBAAS_AWS_PLAN_ROLE_ARN }}');
    expect(JSON.stringify(job)).not.toMatch(/APPLY_ROLE|APPLY_SERVICE_ACCOUNT/);
  });

  it('keeps going after drift (exit 1) so the issues are updated, and fails only when something could not be checked', () => {
    const drift = job.steps.find((s) => s.id === 'drift')!;
    expect(drift.run).toContain('npx --no -- dbaas drift --format markdown --out dbaas-drift/drift.md --save-issues dbaas-drift/issues.json || status=$?');
    expect(stepUsing(job, 'actions/github-script').if).toContain('!cancelled()');
    expect(job.steps.at(-1)!.run).toContain(`grep -q '"status": "failed"' dbaas-drift/issues.json`);
  });

  /** Runs the github-script step's script against an in-memory issue tracker. */
  async function syncIssues(wanted: object[], existing: { number: number; body: string; login?: string; state?: string }[]) {
    const script = String(stepUsing(job, 'actions/github-script').with?.script);
    const issues = existing.map((i) => ({ state: 'open', ...i, user: { login: i.login ?? 'github-actions[bot]' }, labels: ['dbaas-drift'] }));
    const calls: string[] = [];
    let next = 100;
    const github = {
      paginate: async (_fn: unknown, args: { state: string; labels: string }) => issues.filter((i) => i.state === args.state && i.labels.includes(args.labels)),
      rest: {
        issues: {
          listForRepo: {},
          create: async (a: { title: string; body: string; labels: string[] }) => {
            calls.push(`create ${a.title}`);
            issues.push({ number: next++, body: a.body, state: 'open', user: { login: 'github-actions[bot]' }, labels: a.labels, login: undefined });
          },
          update: async (a: { issue_number: number; state?: string; body?: string }) => {
            calls.push(`update #${a.issue_number}${a.state ? ` ${a.state}` : ''}`);
            const issue = issues.find((i) => i.number === a.issue_number)!;
            if (a.state) issue.state = a.state;
            if (a.body) issue.body = a.body;
          },
          createComment: async (a: { issue_number: number }) => void calls.push(`comment #${a.issue_number}`),
        },
      },
    };
    const files = { 'dbaas-drift/issues.json': JSON.stringify(wanted) };
    const require = (name: string) => {
      expect(name).toBe('node:fs');
      return { readFileSync: (p: keyof typeof files) => files[p] };
    };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    await new AsyncFunction('require', 'github', 'context', script)(require, github, { repo: { owner: 'acme', repo: 'infra' } });
    return { calls, issues };
  }
  const entry = (stack: string, status: string) => ({
    stack,
    status,
    marker: `<!-- dbaas-drift:${stack} -->`,
    title: `Drift in ${stack}`,
    body: `<!-- dbaas-drift:${stack} -->\nbody of ${stack}`,
  });

  it('opens an issue when drift appears, updates it while it lasts, closes it when it is gone, and leaves it when the check failed', async () => {
    const first = await syncIssues([entry('orders', 'drifted'), entry('carts', 'clean')], []);
    expect(first.calls).toEqual(['create Drift in orders']);
    const second = await syncIssues([entry('orders', 'drifted')], [{ number: 7, body: '<!-- dbaas-drift:orders -->\nold' }]);
    expect(second.calls).toEqual(['update #7']);
    const failed = await syncIssues([entry('orders', 'failed')], [{ number: 7, body: '<!-- dbaas-drift:orders -->\nold' }]);
    expect(failed.calls).toEqual([]);
    const gone = await syncIssues([entry('orders', 'clean')], [{ number: 7, body: '<!-- dbaas-drift:orders -->\nold' }]);
    expect(gone.calls).toEqual(['comment #7', 'update #7 closed']);
  });

  it('never edits or closes an issue it did not write, even one quoting the marker', async () => {
    const quoted = await syncIssues([entry('orders', 'clean')], [{ number: 9, body: '<!-- dbaas-drift:orders -->\nquoted', login: 'mallory' }]);
    expect(quoted.calls).toEqual([]);
    const prefixed = await syncIssues([entry('orders', 'clean')], [{ number: 9, body: '<!-- dbaas-drift:orders-archive -->\nanother stack' }]);
    expect(prefixed.calls).toEqual([]);
  });
});
