import { execa } from 'execa';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFRA_REPO_TEMPLATE, packageNameFor, planScaffold, readTemplate, scaffold, TEMPLATES_DIR, writeFileAtomic } from '../../src/scaffold/index.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, REPO_ROOT } from '../helpers/repo.js';

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbaas-init-'));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file below `dir`, relative, forward slashes, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

const VARS = { dbaasVersion: '9.8.7', packageName: 'acme-infra', dbaasDependency: 'file:vendor/dbaas-9.8.7.tgz' };
const SCAFFOLDED = [
  '.github/CODEOWNERS',
  '.github/workflows/dbaas-apply.yml',
  '.github/workflows/dbaas-drift.yml',
  '.github/workflows/dbaas-plan.yml',
  '.github/workflows/dbaas-report.yml',
  '.gitignore',
  'README.md',
  'dbaas.config.yaml',
  'package.json',
  'stacks/example-team/example.yaml',
];

describe('readTemplate', () => {
  it('renames files npm would drop, renders .tmpl files and leaves other files byte for byte', () => {
    const files = readTemplate(join(FIXTURES, 'scaffold', 'pass-template'), VARS);
    expect(files.map((f) => f.path)).toEqual(['.gitignore', 'nested/plain.txt', 'package.json']);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.content.toString('utf8')]));
    expect(JSON.parse(byPath['package.json']!)).toEqual({ name: 'acme-infra', dbaas: '9.8.7' });
    expect(byPath['nested/plain.txt']).toBe('kept {{as is}} outside .tmpl files\n');
  });

  it('treats a placeholder it does not know as a bug in the template', () => {
    expect(() => readTemplate(join(FIXTURES, 'scaffold', 'fail-unknown-variable'), VARS)).toThrow(/bad\.txt\.tmpl uses unknown variable \{\{nope\}\}/);
  });

  it('makes an npm package name from the folder name', () => {
    expect(packageNameFor('/x/My Infra Repo')).toBe('my-infra-repo');
    expect(packageNameFor('/x/.hidden__')).toBe('hidden__');
    expect(packageNameFor('/x/___')).toBe('infra');
  });
});

describe('scaffold', () => {
  it('writes the whole template into a folder it creates, and lists every file as created', () => {
    const dir = join(tempDir(), 'new', 'infra');
    const result = scaffold({ dir, variables: VARS });
    expect(result).toMatchObject({ ok: true, dir, overwritten: [], unchanged: [], problems: [] });
    expect(result.created).toEqual(SCAFFOLDED);
    expect(listFiles(dir)).toEqual(SCAFFOLDED);
    expect(readFileSync(join(dir, 'dbaas.config.yaml'))).toEqual(readFileSync(join(INFRA_REPO_TEMPLATE, 'dbaas.config.yaml')));
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies).toEqual({ dbaas: 'file:vendor/dbaas-9.8.7.tgz' });
    expect(statSync(join(dir, 'README.md')).mode & 0o777).toBe(0o644);
  });

  it('refuses a file that exists with other content and then writes nothing at all', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README.md'), 'our own readme\n');
    const result = scaffold({ dir, variables: VARS });
    expect(result.ok).toBe(false);
    expect(result.created).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'DBAAS_INIT_FILE_EXISTS',
        severity: 'error',
        location: { file: 'README.md', line: 1, column: 1 },
        suggestion: 'pass --force to replace it',
      }),
    ]);
    expect(listFiles(dir)).toEqual(['README.md']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('our own readme\n');
  });

  it('replaces such files with force, and leaves files that already match alone', () => {
    const dir = tempDir();
    scaffold({ dir, variables: VARS });
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    const result = scaffold({ dir, force: true, variables: VARS });
    expect(result.ok).toBe(true);
    expect(result.overwritten).toEqual(['README.md']);
    expect(result.created).toEqual([]);
    expect(result.unchanged).toHaveLength(SCAFFOLDED.length - 1);
    expect(readFileSync(join(dir, 'README.md'))).toEqual(readFileSync(join(INFRA_REPO_TEMPLATE, 'README.md')));
    expect(listFiles(dir)).toEqual(SCAFFOLDED); // no temp files left behind
  });

  it('never replaces a folder with a file, even with force', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'README.md'));
    const result = scaffold({ dir, force: true, variables: VARS });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.location?.file])).toEqual([['DBAAS_INIT_NOT_A_FILE', 'README.md']]);
    expect(existsSync(join(dir, 'dbaas.config.yaml'))).toBe(false);
  });

  it('reports a file where a folder must go, and a target that is a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stacks'), 'not a folder');
    const blocked = planScaffold({ dir, variables: VARS });
    expect(blocked.problems.map((p) => [p.code, p.location?.file, p.message])).toEqual([
      ['DBAAS_INIT_NOT_A_FOLDER', 'stacks/example-team/example.yaml', 'cannot be written: stacks is a file; expected a folder'],
    ]);
    const onFile = scaffold({ dir: join(dir, 'stacks'), variables: VARS });
    expect(onFile.problems.map((p) => p.code)).toEqual(['DBAAS_INIT_NOT_A_FOLDER']);
    expect(onFile.problems[0]!.message).toMatch(/stacks is a file; expected a folder/);
  });

  it('does not write through a symbolic link that leaves the folder', () => {
    const dir = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(dir, '.github'));
    const result = scaffold({ dir, force: true, variables: VARS });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.location?.file])).toEqual([
      ['DBAAS_INIT_OUTSIDE', '.github/CODEOWNERS'],
      ['DBAAS_INIT_OUTSIDE', '.github/workflows/dbaas-apply.yml'],
      ['DBAAS_INIT_OUTSIDE', '.github/workflows/dbaas-drift.yml'],
      ['DBAAS_INIT_OUTSIDE', '.github/workflows/dbaas-plan.yml'],
      ['DBAAS_INIT_OUTSIDE', '.github/workflows/dbaas-report.yml'],
    ]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('replaces a link in the place of a file with the file itself, never writing through it', () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'target.md');
    writeFileSync(elsewhere, 'not yours\n');
    symlinkSync(elsewhere, join(dir, 'README.md'));
    expect(scaffold({ dir, variables: VARS }).problems.map((p) => p.code)).toEqual(['DBAAS_INIT_FILE_EXISTS']);
    const forced = scaffold({ dir, force: true, variables: VARS });
    expect(forced.overwritten).toEqual(['README.md']);
    expect(lstatSync(join(dir, 'README.md')).isSymbolicLink()).toBe(false);
    expect(readFileSync(elsewhere, 'utf8')).toBe('not yours\n');
  });
});

describe('writeFileAtomic', () => {
  it('never clobbers a file when not told to, and cleans up its temp file', () => {
    const dir = tempDir();
    const target = join(dir, 'a.txt');
    writeFileSync(target, 'first\n');
    expect(() => writeFileAtomic(target, Buffer.from('second\n'), false)).toThrow(/EEXIST/);
    expect(readFileSync(target, 'utf8')).toBe('first\n');
    writeFileAtomic(target, Buffer.from('third\n'), true);
    expect(readFileSync(target, 'utf8')).toBe('third\n');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });
});

describe('the dbaas package', () => {
  it('ships every template file (npm pack drops .gitignore, hence _gitignore)', async () => {
    const packed = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    const paths = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    const templates = listFiles(TEMPLATES_DIR).map((p) => `templates/${p}`);
    expect(templates).toContain('templates/infra-repo/.github/workflows/dbaas-plan.yml');
    expect(paths.filter((p) => p.startsWith('templates/')).sort()).toEqual(templates);
    expect(paths).toContain('schemas/config.schema.json'); // the scaffold's $schema comments point here
  });
});

// The real CLI over dist/ (`npm test` builds first). When running this file alone after editing,
// build only if the compiled command is missing or older than its source.
beforeAll(async () => {
  const pairs = [
    ['src/commands/init.ts', 'dist/bundle/commands/init.js'],
    ['src/scaffold/index.ts', 'dist/bundle/commands/init.js'],
  ] as const;
  const stale = pairs.some(
    ([src, out]) => !existsSync(join(REPO_ROOT, out)) || statSync(join(REPO_ROOT, out)).mtimeMs < statSync(join(REPO_ROOT, src)).mtimeMs,
  );
  if (stale) await execa('npm', ['run', 'build'], { cwd: REPO_ROOT, reject: false });
});

describe('dbaas init (the real bin/run.js)', () => {
  it('scaffolds a repo that dbaas validate accepts at once', async () => {
    const dir = join(tempDir(), 'infra');
    const init = await runCli(['init', dir]);
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    for (const file of SCAFFOLDED) expect(init.stdout).toContain(`created      ${file}`);
    expect(init.stdout).toMatch(/✓ 11 files written in /);
    expect(init.stdout).toMatch(/created {6}vendor\/dbaas-[\d.]+\.tgz/);

    const validate = await runCli(['validate', '--dir', dir]);
    expect(validate.stderr).toBe('');
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toMatch(/✓ 1 database valid/);
  });

  it('returns { dir, created } with --json, and scaffolds the current folder without DIR', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    const ours = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const tarball = `vendor/dbaas-${ours.version}.tgz`;
    expect(json).toMatchObject({
      ok: true,
      exitCode: 0,
      dir,
      created: [...SCAFFOLDED, tarball].sort(),
      overwritten: [],
      unchanged: [],
      dependency: `file:${tarball}`,
      problems: [],
    });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.dbaas).toBe(`file:${tarball}`);
    expect(existsSync(join(dir, tarball))).toBe(true);
  });

  it('refuses to overwrite with exit 2, one located line per file, and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dbaas.config.yaml'), 'apiVersion: dbaas.dev/v1\n');
    const result = await runCli(['init', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(
      'dbaas.config.yaml:1:1: error DBAAS_INIT_FILE_EXISTS already exists with other content; dbaas init never overwrites a file (pass --force to replace it)',
    );
    expect(result.stdout).toMatch(/✗ nothing was written to /);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(listFiles(dir)).toEqual(['dbaas.config.yaml']);
    expect(readFileSync(join(dir, 'dbaas.config.yaml'), 'utf8')).toBe('apiVersion: dbaas.dev/v1\n');

    const forced = await runCli(['init', dir, '--force', '--json']);
    expect(forced.exitCode).toBe(0);
    expect(JSON.parse(forced.stdout).overwritten).toEqual(['dbaas.config.yaml']);
  });

  it('treats DIR and a different --dir as a usage mistake (exit 2)', async () => {
    const result = await runCli(['init', join(tempDir(), 'a'), '--dir', join(tempDir(), 'b')]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/error DBAAS_USAGE got DIR .* and --dir .*; expected one folder/);
  });

  it('scaffolds an example that meets every baseline guardrail, as does the new-database template', async () => {
    const dir = tempDir();
    scaffold({ dir, variables: VARS });
    copyFileSync(join(TEMPLATES_DIR, 'new-database.yaml'), join(dir, 'stacks', 'example-team', 'my-database.yaml'));
    const validate = await runCli(['validate', '--dir', dir, '--json']);
    expect(validate.exitCode).toBe(0);
    expect(JSON.parse(validate.stdout).databases.sort()).toEqual(['example', 'my-database']);
    // No git here, so plan treats both databases as new and judges them with the baseline pack.
    const plan = await runCli(['plan', '--dir', dir, '--json']);
    const report = JSON.parse(plan.stdout);
    expect(report.findings).toEqual([]);
    expect(report.counts).toMatchObject({ stacksChanged: 2, errors: 0, warnings: 0, waived: 0 });
    expect(plan.exitCode).toBe(0);
  });
});

describe('dbaas init --from', () => {
  it('references a git URL or a folder as given, vendors a tarball, and refuses anything else with exit 2', async () => {
    const git = await runCli(['init', join(tempDir(), 'a'), '--from', 'github:acme/dbaas#v0.1.0', '--json']);
    expect(JSON.parse(git.stdout)).toMatchObject({ ok: true, dependency: 'github:acme/dbaas#v0.1.0' });
    expect(JSON.parse(git.stdout).created).not.toContain('vendor/dbaas-0.1.0.tgz');

    const parent = tempDir();
    const folder = await runCli(['init', join(parent, 'infra'), '--from', REPO_ROOT, '--json']);
    expect(JSON.parse(folder.stdout).dependency).toMatch(/^file:(\.\.\/)+/);

    const bad = await runCli(['init', join(tempDir(), 'b'), '--from', 'no-such-thing']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/--from: "no-such-thing" is not a .tgz file, a folder with a package.json, or a git URL/);
  });
});
