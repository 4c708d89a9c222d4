import { mkdirSync, readFileSync, statSync, writeFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRepoFiles } from '../../src/load/repo.js';
import { gitTopLevel, readRepoFilesAt, resolveRevision } from '../../src/plan/git.js';
import { commitAll, git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, FIXTURES, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('reading the repo at a git revision', () => {
  it('returns the files as committed, leaving the working tree and index alone', async () => {
    const dir = tempRepo('example');
    const base = await initRepo(dir);
    const orders = join(dir, 'stacks', 'payments', 'orders.yaml');
    const committed = readFileSync(orders, 'utf8');
    writeFileSync(orders, committed.replace('storageGb: 100', 'storageGb: 200'));
    await git(dir, 'add', orders);
    const statusBefore = await git(dir, 'status', '--porcelain');
    const indexBefore = statSync(join(dir, '.git', 'index')).mtimeMs;

    const revision = await resolveRevision(dir, 'HEAD');
    expect(revision?.commit).toBe(base);
    const files = await readRepoFilesAt(dir, revision!);

    expect(files.specs.find((f) => f.file === 'stacks/payments/orders.yaml')?.text).toBe(committed);
    expect(files.specs.map((f) => f.file)).toEqual(readRepoFiles(dir).specs.map((f) => f.file));
    expect(files.policies.length).toBe(readRepoFiles(dir).policies.length);
    expect(files.config?.text).toBe(readFileSync(join(dir, 'dbaas.config.yaml'), 'utf8'));
    expect(statSync(join(dir, '.git', 'index')).mtimeMs).toBe(indexBefore);
    expect(await git(dir, 'status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(orders, 'utf8')).toContain('storageGb: 200');
  });

  it('works when the infra repo is a sub-folder of the git repo', async () => {
    const top = mkdtempSync(join(tmpdir(), 'dbaas-mono-'));
    mkdirSync(join(top, 'infra'));
    cpSync(join(FIXTURES, 'repos', 'pass-minimal'), join(top, 'infra'), { recursive: true });
    writeFileSync(join(top, 'README.md'), 'monorepo\n');
    await initRepo(top);
    const files = await readRepoFilesAt(join(top, 'infra'), (await resolveRevision(join(top, 'infra'), 'HEAD'))!);
    expect(files.config?.file).toBe('dbaas.config.yaml');
    expect(files.specs.map((f) => f.file)).toEqual(['stacks/team-a/app.yaml']);
  });

  it('knows when there is no git, and when a ref names no commit', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'dbaas-nogit-'));
    expect(await gitTopLevel(plain)).toBeUndefined();
    const dir = tempRepo();
    await git(dir, 'init', '-q', '-b', 'main');
    expect(await resolveRevision(dir, 'HEAD')).toBeUndefined();
    await commitAll(dir, 'first');
    expect(await resolveRevision(dir, 'no-such-branch')).toBeUndefined();
  });
});
