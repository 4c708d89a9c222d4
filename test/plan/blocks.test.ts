// The plan diff sees providers, the backend, data sources and outputs (issue 11 item 6); a moved state
// key is a destroy.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffBlocks, type StackJson } from '../../src/plan/diff.js';
import { planRepo } from '../../src/plan/index.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const stack = (over: Partial<StackJson> = {}): StackJson => ({
  terraform: {
    backend: { s3: { bucket: 'state', key: 'dbaas/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true } },
    required_providers: { aws: { source: 'aws', version: '5.100.0' } },
  },
  provider: {
    aws: [
      { region: 'eu-west-1', allowed_account_ids: ['111111111111'] },
      { alias: 'copy', region: 'eu-central-1' },
    ],
  },
  data: { aws_caller_identity: { me: {} } },
  output: { endpoint: { value: '${aws_db_instance.db.endpoint}' } },
  resource: { aws_db_instance: { db: { identifier: 'orders' } } },
  ...over,
});

describe('diffBlocks', () => {
  it('sees nothing when only resources change', () => {
    expect(diffBlocks(stack(), stack({ resource: { aws_db_instance: { db: { identifier: 'x' } } } }))).toEqual([]);
  });

  it('reports a provider account, region, role or alias change', () => {
    const head = stack({
      provider: {
        aws: [
          { region: 'eu-west-1', allowed_account_ids: ['222222222222'], assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/x' }] },
          { alias: 'dr', region: 'eu-central-1' },
        ],
      },
    });
    const changes = diffBlocks(stack(), head);
    expect(changes.map((c) => [c.address, c.kind, c.action, c.movesState])).toEqual([
      ['provider.aws', 'provider', 'update', false],
      ['provider.aws.copy', 'provider', 'delete', false],
      ['provider.aws.dr', 'provider', 'create', false],
    ]);
    expect(changes[0]!.changes).toContainEqual({ path: 'allowed_account_ids[0]', before: '111111111111', after: '222222222222' });
    expect(changes[0]!.changes.some((c) => c.path.startsWith('assume_role'))).toBe(true);
  });

  it('marks a moved state key, bucket or backend type as moving the state, but not a lock table change', () => {
    const moved = (backend: object) => diffBlocks(stack(), stack({ terraform: { ...(stack().terraform as object), backend } }));
    expect(moved({ s3: { bucket: 'state', key: 'other/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true } })).toMatchObject([
      { address: 'terraform.backend.s3', movesState: true },
    ]);
    expect(moved({ s3: { bucket: 'state2', key: 'dbaas/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true } })[0]?.movesState).toBe(true);
    expect(moved({ gcs: { bucket: 'state', prefix: 'dbaas/orders' } }).map((c) => [c.address, c.action, c.movesState])).toEqual([
      ['terraform.backend.gcs', 'create', true],
      ['terraform.backend.s3', 'delete', true],
    ]);
    expect(
      moved({ s3: { bucket: 'state', key: 'dbaas/orders/terraform.tfstate', region: 'eu-west-1', encrypt: true, dynamodb_table: 'locks' } }),
    ).toMatchObject([{ movesState: false, action: 'update' }]);
  });

  it('reports data sources and outputs added, removed or edited', () => {
    const head = stack({ data: { aws_region: { here: {} } }, output: { endpoint: { value: '${aws_db_instance.db.address}' } } });
    expect(diffBlocks(stack(), head).map((c) => [c.address, c.action])).toEqual([
      ['data.aws_caller_identity.me', 'delete'],
      ['data.aws_region.here', 'create'],
      ['output.endpoint', 'update'],
    ]);
  });
});

describe('plan with a moved state key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
  });

  it('is a destroy of every stack on that cloud: loud, exit 1 without --allow-destroy', async () => {
    const config = join(dir, 'dbaas.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('keyPrefix: dbaas }', 'keyPrefix: dbaas-v2 }'));
    try {
      const { report } = await planRepo({ dir });
      const aws = report.stacks.filter((s) => s.cloud === 'aws');
      expect(aws.length).toBeGreaterThan(0);
      for (const s of aws) {
        expect(s.action).toBe('update');
        expect(s.blocks).toContainEqual(expect.objectContaining({ address: 'terraform.backend.s3', movesState: true }));
      }
      expect(report.stacks.filter((s) => s.cloud === 'gcp').every((s) => s.action === 'no-op' || !s.blocks?.length)).toBe(true);
      expect(
        report.destroys
          .filter((d) => d.address === 'terraform.backend.s3')
          .map((d) => d.stack)
          .sort(),
      ).toEqual(aws.map((s) => s.name).sort());
      expect(report.refusals.some((r) => r.includes('--allow-destroy'))).toBe(true);
      expect(report.exitCode).toBe(1);
      expect(renderPlanText(report)).toContain('~ terraform.backend.s3   # STATE MOVES');
      expect(renderMarkdown(report)).toContain('terraform.backend.s3');
      const allowed = await planRepo({ dir, allowDestroy: true });
      expect(allowed.report.refusals.some((r) => r.includes('--allow-destroy'))).toBe(false);
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });

  it('shows a provider account change on every stack of that account', async () => {
    const config = join(dir, 'dbaas.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('accountId: "111111111111"', 'accountId: "111111111112"'));
    try {
      const { report } = await planRepo({ dir });
      const orders = report.stacks.find((s) => s.name === 'orders');
      const provider = orders?.blocks?.find((b) => b.kind === 'provider');
      expect(provider?.changes.some((c) => c.before === '111111111111' && c.after === '111111111112')).toBe(true);
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });
});
