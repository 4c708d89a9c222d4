// Without --base, plan compares a branch with where it left the default branch, and names that base
// in the header, also when the head cannot be planned.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBase } from '../../src/plan/git.js';
import { planRepo } from '../../src/plan/index.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { commitAll, git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

async function branchedRepo(): Promise<{ dir: string; forkPoint: string }> {
  const dir = tempRepo('example');
  const forkPoint = (await initRepo(dir)).trim();
  await git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  await git(dir, 'checkout', '-qb', 'grow');
  const file = join(dir, 'stacks', 'payments', 'orders.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('storageGb: 100', 'storageGb: 120'));
  await commitAll(dir, 'more storage');
  return { dir, forkPoint };
}

describe('the default base', () => {
  it('is the merge base with origin/main on a branch, so committed changes are the change', async () => {
    const { dir, forkPoint } = await branchedRepo();
    expect(await defaultBase(dir)).toEqual({ ref: 'origin/main (merge base)', commit: forkPoint });
    const { report } = await planRepo({ dir });
    expect(report.stacks.map((s) => [s.name, s.action])).toEqual([['orders', 'update']]);
    expect(renderPlanText(report)).toMatch(/^dbaas plan against origin\/main \(merge base\) \(/);
  });

  it('is HEAD on the default branch itself', async () => {
    const dir = tempRepo('example');
    const head = (await initRepo(dir)).trim();
    expect(await defaultBase(dir)).toEqual({ ref: 'HEAD', commit: head });
  });

  it('is named in the header when the head does not validate', async () => {
    const { dir, forkPoint } = await branchedRepo();
    const file = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('storageGb: 120', 'storageGB: 120'));
    const { report } = await planRepo({ dir });
    expect(report.exitCode).toBe(2);
    expect(report.base).toEqual({ ref: 'origin/main (merge base)', commit: forkPoint });
    expect(renderPlanText(report)).toContain(`against origin/main (merge base) (${forkPoint.slice(0, 8)})`);
    expect(renderMarkdown(report)).toContain('against <code>origin/main \\(merge base\\)</code>');
  });
});
