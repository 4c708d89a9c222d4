import { describe, expect, it } from 'vitest';
import { readRepoFiles, type RepoFiles } from '../../src/load/repo.js';
import { touchedStacks } from '../../src/plan/affected.js';
import { resolveFiles } from '../../src/pipeline.js';
import type { ResolvedRepo } from '../../src/resolve/index.js';
import { REPO_ROOT } from '../helpers/repo.js';

const baseFiles = readRepoFiles(REPO_ROOT);
const resolve = (files: RepoFiles): ResolvedRepo => {
  const result = resolveFiles(files);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.repo;
};
const base = resolve(baseFiles);

/** The example repo with one spec file's text edited. */
function edit(file: string, change: (text: string) => string): RepoFiles {
  return { ...baseFiles, specs: baseFiles.specs.map((f) => (f.file === file ? { ...f, text: change(f.text) } : f)) };
}

describe('touchedStacks', () => {
  it('touches nothing for a comment-only edit', () => {
    const head = resolve(edit('stacks/payments/orders.yaml', (t) => `# reviewed\n${t}`));
    expect(touchedStacks(head, base, '1.0.0')).toEqual([]);
  });

  it('touches only the edited database', () => {
    const head = resolve(edit('stacks/payments/orders.yaml', (t) => t.replace('storageGb: 100', 'storageGb: 120')));
    expect(touchedStacks(head, base, '1.0.0').map((t) => [t.name, t.touchedBy])).toEqual([['orders', ['spec stacks/payments/orders.yaml']]]);
  });

  it('touches every user of a changed shared BackupPolicy', () => {
    const head = resolve(
      edit('stacks/shared/backup-policies.yaml', (t) =>
        t.replace(
          'retentionDays: 35\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
          'retentionDays: 42\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
        ),
      ),
    );
    const touched = touchedStacks(head, base, '1.0.0');
    expect(touched.map((t) => t.name)).toEqual(['ledger', 'orders', 'payouts', 'users']);
    expect(touched[0]?.touchedBy).toEqual(['BackupPolicy prod-standard']);
  });

  it('touches every database when the config changes what stacks are built from', () => {
    const head = resolve({
      ...baseFiles,
      config: { ...baseFiles.config!, text: baseFiles.config!.text.replace('acme-dbaas-tfstate,', 'acme-dbaas-tfstate-v2,') },
    });
    expect(touchedStacks(head, base, '1.0.0')).toHaveLength(base.entries.length);
  });

  it('reports removed and new databases, and everything as new without a base', () => {
    const head = resolve({ ...baseFiles, specs: baseFiles.specs.filter((f) => f.file !== 'stacks/payments/carts.yaml') });
    const [removed, ...rest] = touchedStacks(head, base, '1.0.0');
    expect(rest).toEqual([]);
    expect(removed).toMatchObject({ name: 'carts', touchedBy: ['database removed'] });
    expect(removed?.head).toBeUndefined();
    expect(removed?.base?.db.engine).toBe('dynamodb');
    expect(touchedStacks(base, undefined, '1.0.0').map((t) => t.touchedBy[0])).toEqual(Array(13).fill('new database'));
  });
});
