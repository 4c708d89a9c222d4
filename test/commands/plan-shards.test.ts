// plan --shard / plan merge / plan --list / --only / --cloud through the real bin/run.js, on a git
// change that edits two shared BackupPolicies (10 stacks) and removes a database (a refused destroy).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('dbaas plan --shard K/N and dbaas plan merge', () => {
  let dir: string;
  let whole: Record<string, unknown>;
  const shardFile = (k: number, n = 3) => join(dir, `shard-${k}-of-${n}.json`);

  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
    const policies = join(dir, 'stacks', 'shared', 'backup-policies.yaml');
    writeFileSync(
      policies,
      readFileSync(policies, 'utf8')
        .replace('retentionDays: 35\n  pointInTimeRecovery', 'retentionDays: 42\n  pointInTimeRecovery')
        .replace('retentionDays: 7\n  alerts', 'retentionDays: 9\n  alerts'),
    );
    rmSync(join(dir, 'stacks', 'payments', 'carts.yaml'));
    const result = await runCli(['plan', '--dir', dir, '--format', 'json', '--out', join(dir, 'whole.json')]);
    expect(result.exitCode, result.stderr).toBe(1);
    whole = read(join(dir, 'whole.json'));
    for (const n of [3, 8]) {
      for (let k = 1; k <= n; k++) {
        const shard = await runCli(['plan', '--dir', dir, '--shard', `${k}/${n}`, '--format', 'json', '--out', shardFile(k, n)]);
        expect([0, 1], shard.stderr).toContain(shard.exitCode);
      }
    }
  }, 240_000);

  it('touches the stacks the change names (the fixture is what the tests below assume)', () => {
    expect((whole.stacks as { name: string }[]).map((s) => s.name)).toEqual([
      'audit',
      'audit-restore',
      'carts',
      'experiments',
      'ledger',
      'orders',
      'payouts',
      'reports',
      'reports-clone',
      'sessions',
      'users',
    ]);
    expect(whole.exitCode).toBe(1);
  });

  it('gives each shard its share: every stack in exactly one shard, with shard info naming commit, base and version', async () => {
    const head = (await import('../helpers/git.js')).git(dir, 'rev-parse', 'HEAD');
    const shards = [1, 2, 3].map((k) => read(shardFile(k)));
    const names = shards.flatMap((s) => s.stacks.map((x: { name: string }) => x.name)).sort();
    expect(names).toEqual((whole.stacks as { name: string }[]).map((s) => s.name));
    for (const [i, s] of shards.entries()) {
      expect(s.shard).toEqual({
        index: i + 1,
        count: 3,
        commit: await head,
        base: (whole.base as { commit: string }).commit,
        toolVersion: whole.toolVersion,
        stacks: 11,
        ruleRefusals: [],
      });
      expect(s.stacks.length).toBeGreaterThan(0);
    }
    // Only the shard holding the removed database refuses for its destroy.
    const withCarts = shards.find((s) => s.stacks.some((x: { name: string }) => x.name === 'carts'))!;
    expect(withCarts.refusals.join('\n')).toMatch(/destroys data/);
    for (const s of shards.filter((x) => x !== withCarts)) expect(s.destroys).toEqual([]);
  });

  it('merges the shards into exactly the unsharded report, field by field, for 3 and 8 shards', async () => {
    for (const n of [3, 8]) {
      const files = Array.from({ length: n }, (_, i) => shardFile(i + 1, n)).reverse();
      const out = join(dir, `merged-${n}.json`);
      const result = await runCli(['plan', 'merge', '--dir', dir, ...files, '--format', 'json', '--out', out]);
      // The exit code follows the merged report (a refused destroy).
      expect(result.exitCode, result.stderr).toBe(1);
      const merged = read(out);
      expect(Object.keys(merged)).toEqual(Object.keys(whole));
      for (const key of Object.keys(whole)) expect(merged[key], `${n} shards: ${key}`).toEqual(whole[key]);
      expect(merged.shard).toBeUndefined();
      // Byte for byte: the merge copies the shards' stack JSON into the layout the unsharded plan writes.
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
    }
  });

  it('renders the merge in every format: markdown and text as the unsharded plan renders them, SARIF from the same report', async () => {
    const files = [1, 2, 3].map((k) => shardFile(k));
    for (const format of ['text', 'markdown', 'sarif']) {
      const merged = await runCli(['plan', 'merge', ...files, '--format', format]);
      const unsharded = await runCli(['plan', '--dir', dir, '--format', format]);
      expect(merged.stdout, format).toBe(unsharded.stdout);
    }
    const saved = await runCli([
      'plan',
      'merge',
      ...files,
      '--save-markdown',
      join(dir, 'm.md'),
      '--save-sarif',
      join(dir, 'm.sarif'),
      '--save-json',
      join(dir, 'm.json'),
      '--out',
      join(dir, 'm.txt'),
    ]);
    expect(saved.exitCode).toBe(1);
    expect(readFileSync(join(dir, 'm.md'), 'utf8')).toMatch(/^<!-- dbaas-plan -->\n### ⛔ dbaas plan: 11 stacks changed/);
    expect(JSON.parse(readFileSync(join(dir, 'm.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(read(join(dir, 'm.json')).stacks).toHaveLength(11);
  });

  it('refuses shards of another commit, base, version or shard count, duplicates and missing shards (exit 2, one line each)', async () => {
    let edits = 0;
    const edit = (k: number, change: (s: Record<string, unknown>) => void) => {
      const s = read(shardFile(k));
      change(s.shard);
      const file = join(dir, `edited-${k}-${edits++}.json`);
      writeFileSync(file, JSON.stringify(s));
      return file;
    };
    const cases: [string[], RegExp][] = [
      [
        [shardFile(1), shardFile(2), edit(3, (s) => (s.commit = '0'.repeat(40)))],
        /edited-3-0\.json:1:1: error DBAAS_SHARD_MISMATCH shard\.commit: .*edited-3-0\.json is a shard of commit "0{40}", but .*shard-1-of-3\.json of "[0-9a-f]{40}"/,
      ],
      [[shardFile(1), shardFile(2), edit(3, (s) => (s.base = 'f'.repeat(40)))], /DBAAS_SHARD_MISMATCH shard\.base: .* base commit "f{40}"/],
      [[shardFile(1), shardFile(2), edit(3, (s) => (s.toolVersion = '9.9.9'))], /DBAAS_SHARD_MISMATCH shard\.toolVersion: .* dbaas version "9\.9\.9"/],
      [[shardFile(1), shardFile(2), shardFile(3, 8)], /DBAAS_SHARD_MISMATCH shard\.count: .* shard count 8, but .* of 3/],
      [[shardFile(1), shardFile(1), shardFile(2), shardFile(3)], /DBAAS_SHARD_DUPLICATE shard\.index: .*shard-1-of-3\.json is shard 1\/3 again/],
      [[shardFile(2)], /^error DBAAS_SHARD_MISSING shard\.index: shard 1\/3 is missing.*\nerror DBAAS_SHARD_MISSING shard\.index: shard 3\/3 is missing/m],
      [[join(dir, 'whole.json'), shardFile(1)], /whole\.json:1:1: error DBAAS_NOT_A_SHARD shard: .*is not a shard report/],
      [[join(dir, 'nope.json')], /DBAAS_UNREADABLE FILE: cannot read .*nope\.json \(ENOENT\)/],
    ];
    for (const [files, message] of cases) {
      const result = await runCli(['plan', 'merge', ...files]);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    }
  });

  it('lists the touched stacks with their cost and a suggested shard count (--list --json)', async () => {
    const result = await runCli(['plan', '--dir', dir, '--list', '--json', '--target-minutes', '1']);
    expect(result.exitCode, result.stderr).toBe(0);
    const list = JSON.parse(result.stdout);
    expect(list.stacks.map((s: { name: string }) => s.name)).toEqual((whole.stacks as { name: string }[]).map((s) => s.name));
    const carts = list.stacks.find((s: { name: string }) => s.name === 'carts');
    expect(carts).toEqual({ name: 'carts', cloud: 'aws', environment: 'staging', action: 'delete', resources: 0, cost: 0 });
    const orders = list.stacks.find((s: { name: string }) => s.name === 'orders');
    expect(orders).toMatchObject({ cloud: 'aws', environment: 'production', action: 'update', cost: 25 + orders.resources });
    expect(orders.resources).toBeGreaterThan(10);
    expect(list.estimatedSeconds).toBe(list.stacks.reduce((n: number, s: { cost: number }) => n + s.cost, 0) / 10);
    // About 50 s of terraform over 9 planned stacks: one shard per minute wanted.
    expect(list.suggestedShards).toBe(Math.ceil(list.estimatedSeconds / 60));
    expect((await runCli(['plan', '--dir', dir, '--list', '--json'])).stdout).toMatch(/"suggestedShards": 1\b/);
    const text = await runCli(['plan', '--dir', dir, '--list']);
    expect(text.stdout).toMatch(/^orders \(aws, production\): update, \d+ resource\(s\), about \d+\.\d s of terraform$/m);
    expect(text.stdout).toMatch(/^11 stack\(s\), about 1 min of terraform on one runner; suggested shards for 10 min each: 1$/m);
  });
});

describe('dbaas plan --only and --cloud', () => {
  it('plans only the named stacks, and refuses an unknown name with did-you-mean (exit 2)', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['plan', '--dir', dir, '--all', '--only', 'orders,reports', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stacks.map((s: { name: string }) => s.name)).toEqual(['orders', 'reports']);
    expect(new Set(report.findings.map((f: { database: string }) => f.database))).toEqual(
      new Set(['orders', 'reports'].filter((n) => report.findings.some((f: { database: string }) => f.database === n))),
    );
    expect(report.counts.add).toBe(report.stacks.reduce((n: number, s: { counts: { add: number } }) => n + s.counts.add, 0));
    const bad = await runCli(['plan', '--dir', dir, '--all', '--only', 'orders,ordrs,nothing-like-it']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error DBAAS_UNKNOWN_DATABASE --only: no database named "ordrs" in this repo; .*did you mean "orders"\?/m);
    expect(bad.stderr).toMatch(/no database named "nothing-like-it"/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('knows an untouched database in a plan scoped to the change (it is not unknown, just unchanged)', async () => {
    const dir = tempRepo('example');
    await initRepo(dir);
    const orders = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(
      orders,
      readFileSync(orders, 'utf8').replace(/storageGb: (\d+)/, (_, n) => `storageGb: ${Number(n) + 10}`),
    );
    const result = await runCli(['plan', '--dir', dir, '--only', 'ledger', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).stacks).toEqual([]);
  });

  it('plans one cloud with --cloud, and refuses another value', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['plan', '--dir', dir, '--all', '--cloud', 'gcp', '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    // The GCP databases, and the GCP account baseline stacks the example config turns on.
    expect(report.stacks.map((s: { name: string }) => s.name).filter((n: string) => !n.startsWith('baseline-'))).toEqual([
      'experiments',
      'insights',
      'reports',
      'reports-clone',
      'warehouse-meta',
    ]);
    expect(report.stacks.some((s: { name: string }) => s.name.startsWith('baseline-gcp-'))).toBe(true);
    expect(report.stacks.every((s: { cloud: string }) => s.cloud === 'gcp')).toBe(true);
    expect(
      report.findings.every((f: { database: string }) => ['experiments', 'insights', 'reports', 'reports-clone', 'warehouse-meta'].includes(f.database)),
    ).toBe(true);
    const bad = await runCli(['plan', '--dir', dir, '--all', '--cloud', 'azure']);
    expect(bad.exitCode).toBe(2);
  });
});
