// dbaas-report.yml: weekly and on demand, read-only, publishes the report as an artifact and the
// markdown to the job summary, and fails only after publishing. Its shell steps run for real here.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, cleanupTempRepos, tempRepo } from '../helpers/repo.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string };
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

const made: string[] = [];
afterAll(() => {
  cleanupTempRepos();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const read = (file: string): Workflow => parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
const wf = read('dbaas-report.yml');
const job = wf.jobs.report!;
const step = (id: string): Step => job.steps.find((s) => s.id === id)!;

describe('dbaas-report.yml', () => {
  it('runs weekly and on demand, never on pushes or pull requests', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const [cron] = wf.on.schedule as { cron: string }[];
    const [minute, hour, dom, month, dow] = cron!.cron.split(' ');
    expect([dom, month]).toEqual(['*', '*']);
    expect(dow).toMatch(/^[0-6]$/);
    expect(Number(minute)).not.toBe(0); // off the hour
    expect(Number(hour)).toBeGreaterThanOrEqual(0);
  });

  it('has least permissions: nothing at the top, contents: read for the job, no cloud credentials', () => {
    expect(wf.permissions).toEqual({});
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.steps.map((s) => s.uses?.split('@')[0]).filter(Boolean)).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/cache',
      'actions/upload-artifact',
    ]);
    expect(job.steps[0]!.with).toMatchObject({ 'persist-credentials': false });
  });

  it('uses the same action versions as the plan and apply workflows', () => {
    const others = new Set(
      ['dbaas-plan.yml', 'dbaas-apply.yml'].flatMap((f) =>
        Object.values(read(f).jobs)
          .flatMap((j) => j.steps.map((s) => s.uses))
          .filter(Boolean),
      ),
    );
    for (const s of job.steps) if (s.uses) expect(others, s.uses).toContain(s.uses);
  });

  it('publishes the summary and the artifact even when the report exits non-zero, then fails', () => {
    const names = job.steps.map((s) => s.id ?? s.uses?.split('@')[0] ?? s.name);
    expect(names.slice(-4)).toEqual(['report', 'summary', 'actions/upload-artifact', 'Fail on open guardrail errors or invalid input']);
    expect(step('summary').if).toBe('${{ !cancelled() }}');
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('${{ !cancelled() }}');
    expect(upload.with).toMatchObject({ path: 'dbaas-report/' });
    expect(job.steps.at(-1)!.if).toBe("steps.report.outputs.exit-code != '' && steps.report.outputs.exit-code != '0'");
  });
});

/** Runs a step's script as GitHub's default bash shell does, with the step files. */
async function runStep(cwd: string, run: string): Promise<{ exitCode: number; output: string; summary: string }> {
  const files = mkdtempSync(join(tmpdir(), 'dbaas-step-'));
  made.push(files);
  writeFileSync(join(files, 'step.sh'), run);
  writeFileSync(join(files, 'output'), '');
  writeFileSync(join(files, 'summary'), '');
  const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(files, 'step.sh')], {
    cwd,
    reject: false,
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: join(files, 'output'),
      GITHUB_STEP_SUMMARY: join(files, 'summary'),
      DBAAS_NOW: '2026-11-21',
      DBAAS_CACHE: 'off',
    },
  });
  return { exitCode: result.exitCode ?? -1, output: readFileSync(join(files, 'output'), 'utf8'), summary: readFileSync(join(files, 'summary'), 'utf8') };
}

function infraRepo(): string {
  const dir = tempRepo('example');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'dbaas'));
  symlinkSync(join('..', 'dbaas', 'bin', 'run.js'), join(dir, 'node_modules', '.bin', 'dbaas'));
  writeFileSync(join(dir, 'package.json'), '{"name":"infra","private":true}\n');
  return dir;
}

describe('dbaas-report.yml shell steps, run with bash', () => {
  it('writes HTML, markdown and JSON, keeps the exit code, and puts the markdown in the job summary', async () => {
    const dir = infraRepo();
    const report = await runStep(dir, step('report').run!);
    expect(report.exitCode).toBe(0);
    expect(report.output).toBe('exit-code=0\n');
    expect(readFileSync(join(dir, 'dbaas-report', 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(JSON.parse(readFileSync(join(dir, 'dbaas-report', 'report.json'), 'utf8')).summary.databases).toBe(13);
    const summary = await runStep(dir, step('summary').run!);
    expect(summary.exitCode).toBe(0);
    expect(summary.summary).toBe(readFileSync(join(dir, 'dbaas-report', 'report.md'), 'utf8'));
  }, 120_000);

  it('with an open guardrail error: the step still succeeds and records exit 1 for the last step', async () => {
    const dir = infraRepo();
    const orders = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7\n'));
    const report = await runStep(dir, step('report').run!);
    expect(report.exitCode).toBe(0);
    expect(report.output).toBe('exit-code=1\n');
    expect((await runStep(dir, step('summary').run!)).summary).toContain('❌ 7d (35d)');
  }, 120_000);

  it('when no report was made, the summary says so instead of staying empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-empty-'));
    made.push(dir);
    const summary = await runStep(dir, step('summary').run!);
    expect(summary.summary).toMatch(/^### dbaas report failed: no report was made/);
  });
});
