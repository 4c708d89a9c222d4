// The first hour of a platform engineer, for real: init a repo that depends on a packed dbaas,
// install it with npm, add databases with dbaas new, and plan a branch against where it left main,
// with a guardrail error that still reaches the markdown comment.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: GIT_ENV });
/** The dbaas the new repo installed (node_modules/.bin), not this checkout. */
const dbaas = (cwd: string, ...args: string[]) =>
  execa('npx', ['--no', '--', 'dbaas', ...args], { cwd, reject: false, env: { DBAAS_NOW: '2026-11-21', CI: '', GITHUB_ACTIONS: '' } });
const newDb = (name: string, environment: string, size: string) => [
  'new',
  '--name',
  name,
  '--team',
  'example-team',
  '--cloud',
  'aws',
  '--engine',
  'postgres',
  '--environment',
  environment,
  '--region',
  'eu-west-1',
  '--size',
  size,
  '--policy',
  'prod-standard',
  '--notify',
  'example-team-oncall',
  '--label',
  'cost-center=cc-4242',
];

describe('[integration] the first hour', () => {
  it('[integration] init, npm install from the packed tarball, new, commit, branch, new, plan against main', { timeout: 300_000 }, async () => {
    const top = mkdtempSync(join(tmpdir(), 'dbaas-first-hour-'));
    made.push(top);
    const repo = join(top, 'infra');
    const init = await runCli(['init', repo]);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('dbaas comes from file:vendor/dbaas-');
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.dbaas).toMatch(/^file:vendor\/dbaas-[\d.]+\.tgz$/);

    await git(repo, 'init', '-q', '-b', 'main');
    const install = await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: repo, reject: false });
    expect(install.exitCode, install.stderr).toBe(0);
    expect((await dbaas(repo, 'validate')).exitCode).toBe(0);

    const first = await dbaas(repo, ...newDb('invoices', 'production', 'medium'));
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    // Every $schema line resolves to a file that exists once dbaas is installed.
    for (const file of ['stacks/example-team/example.yaml', 'stacks/example-team/invoices.yaml', 'dbaas.config.yaml']) {
      for (const [, ref] of readFileSync(join(repo, file), 'utf8').matchAll(/\$schema=(\S+)/g))
        expect(existsSync(join(repo, dirname(file), ref!)), `${file}: ${ref}`).toBe(true);
    }
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'first database');
    await git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');

    await git(repo, 'checkout', '-qb', 'add-reports');
    expect((await dbaas(repo, ...newDb('reports', 'production', 'large'))).exitCode).toBe(0);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'second database');

    // No --base: where the branch left main, so the committed database is the change.
    const plan = await dbaas(repo, 'plan', '--json');
    expect(plan.exitCode, plan.stderr).toBe(0);
    const report = JSON.parse(plan.stdout);
    expect(report.base.ref).toBe('origin/main (merge base)');
    expect(report.stacks.map((s: { name: string; action: string }) => [s.name, s.action])).toEqual([['reports', 'create']]);
    expect((await dbaas(repo, 'plan')).stdout).toMatch(/^dbaas plan against origin\/main \(merge base\)/);

    // A guardrail error still reaches the comment.
    const file = join(repo, 'stacks', 'example-team', 'reports.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    policy: prod-standard', '    policy: prod-standard\n    retentionDays: 7'));
    const markdown = await dbaas(repo, 'plan', '--format', 'markdown');
    expect(markdown.exitCode).toBe(1);
    expect(markdown.stdout).toContain('backup-retention-minimum');
    expect(markdown.stdout).toContain('reports.yaml');
  });
});
