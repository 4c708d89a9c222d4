import { describe, expect, it } from 'vitest';
import { diffStacks, newStackChanges, type StackJson } from '../../src/plan/diff.js';
import { resolveDir } from '../../src/pipeline.js';
import { synthAll } from '../helpers/synth.js';
import { REPO_ROOT } from '../helpers/repo.js';

const stack = (resource: StackJson['resource']): StackJson => ({ '//': { metadata: { version: '0.21.0' } }, resource });

describe('diffStacks', () => {
  const base = stack({
    aws_db_instance: { db: { identifier: 'orders', engine: 'postgres', allocated_storage: 100, '//': { metadata: { path: 'orders/db' } } } },
    aws_backup_plan: { plan: { name: 'orders', rule: [{ rule_name: 'daily', lifecycle: { delete_after: 35 } }] } },
    aws_sns_topic: { alerts: { name: 'orders-alerts' } },
  });

  it('reports created, updated and deleted resources with attribute changes', () => {
    const head = stack({
      aws_db_instance: { db: { identifier: 'orders', engine: 'postgres', allocated_storage: 200, '//': { metadata: { path: 'elsewhere' } } } },
      aws_backup_plan: { plan: { name: 'orders', rule: [{ rule_name: 'daily', lifecycle: { delete_after: 7 } }] } },
      aws_cloudwatch_metric_alarm: { missing: { alarm_name: 'orders-backup-missing' } },
    });
    expect(diffStacks(base, head)).toEqual([
      {
        address: 'aws_backup_plan.plan',
        type: 'aws_backup_plan',
        action: 'update',
        destroysData: false,
        changes: [{ path: 'rule[0].lifecycle.delete_after', before: 35, after: 7 }],
      },
      { address: 'aws_cloudwatch_metric_alarm.missing', type: 'aws_cloudwatch_metric_alarm', action: 'create', destroysData: false, changes: [] },
      {
        address: 'aws_db_instance.db',
        type: 'aws_db_instance',
        action: 'update',
        destroysData: false,
        changes: [{ path: 'allocated_storage', before: 100, after: 200 }],
      },
      { address: 'aws_sns_topic.alerts', type: 'aws_sns_topic', action: 'delete', destroysData: false, changes: [] },
    ]);
  });

  it('flags removing a database or its backup plan as destroying data', () => {
    const changes = diffStacks(base, undefined);
    expect(changes.filter((c) => c.destroysData).map((c) => c.address)).toEqual(['aws_backup_plan.plan', 'aws_db_instance.db']);
  });

  it('flags a change that forces replacement of a database', () => {
    const head = stack({ ...base.resource, aws_db_instance: { db: { identifier: 'orders', engine: 'mysql', allocated_storage: 100 } } });
    const [db] = diffStacks(base, head);
    expect(db).toMatchObject({ address: 'aws_db_instance.db', action: 'replace', destroysData: true, reason: 'changing engine forces replacement' });
  });

  it('sees no change between identical stacks and everything new without a base', () => {
    expect(diffStacks(base, base)).toEqual([]);
    expect(diffStacks(undefined, base).map((c) => c.action)).toEqual(['create', 'create', 'create']);
  });
});

describe('newStackChanges', () => {
  it('plans a new stack from the addresses synth recorded exactly as from its JSON, every example stack', async () => {
    const resolved = resolveDir(REPO_ROOT);
    if (!resolved.ok) throw new Error('example repo must resolve');
    const { stacks } = await synthAll(resolved.repo.entries, { config: resolved.repo.config, toolVersion: '0.0.0-test' });
    expect(stacks.length).toBeGreaterThan(5);
    for (const stack of stacks) {
      const fromJson = diffStacks(undefined, JSON.parse(stack.json));
      expect(fromJson.length, stack.name).toBeGreaterThan(5);
      expect(newStackChanges(stack.addresses), stack.name).toEqual(fromJson);
    }
  });
});
